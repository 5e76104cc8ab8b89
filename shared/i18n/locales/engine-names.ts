/**
 * The English names the engine gives (the names section of en.ts), in a module of their own: the
 * providers take their meter names from here, and a window speaking another language compares the
 * engine's names with these without loading the English catalog.
 */
export const engineNames = {
  meter: {
    credits: 'Credits',
    storage: 'Storage',
    subscription: 'Subscription',
    requests: 'Requests',
    hits: 'Hits',
    transactions: 'Transactions',
    spend: 'Spend this month',
    balance: 'Balance',
    available: 'Available balance',
    actualSpend: 'Actual spend',
    forecastedSpend: 'Forecasted spend',
  },
  arcgisService: {
    portal: 'File storage',
    features: 'Feature storage',
    tiles: 'Tile storage and generation',
    geocode: 'Geocoding',
    geoenrich: 'GeoEnrichment',
    spanalysis: 'Spatial analysis',
    elevanalysis: 'Elevation analysis',
    rasteranalysis: 'Raster analysis',
    demogmaps: 'Demographic maps',
    nasimpleroute: 'Routing',
    natsproute: 'Optimized routing',
    nacfroute: 'Closest facility',
    naservicearea: 'Service areas (drive times)',
    navrproute: 'Multi-vehicle routing',
    nalademandpoint: 'Location-allocation',
    geotrigger: 'Geotriggers',
    geotriggers: 'Geotriggers',
    notebooks: 'Notebooks',
  },
  otherArcgisService: 'Other ({{code}})',
};
