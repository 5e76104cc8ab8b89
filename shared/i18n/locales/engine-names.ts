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
  /**
   * The sentences of the meters' notes (a meter's `noteParts`). `money` says an amount of them: the engine's English
   * ("12.50 USD") without grouping, as the CLI prints it.
   */
  note: {
    money: '{{amount, number(useGrouping: false)}} {{currency}}',
    stripePending: 'Pending: {{amount}}, not yet available.',
    stripeNegative: 'A negative balance is what Stripe will recover from payments or the bank account.',
    stripeTestMode: 'Test mode: these are the figures of a test key.',
    deepseekSplit: '{{toppedUp}} topped up, {{granted}} granted.',
    deepseekUnavailable: 'DeepSeek says this balance cannot pay for API calls now: top up at {{url}}.',
    awsNoLimit: 'AWS reports no limit for this budget in the current period, so only rules on amounts apply to it.',
    awsOverBudget: 'Over budget by {{amount}}.',
    awsNoForecast: 'AWS has no forecast for this budget yet; it needs some weeks of usage to make one.',
    awsForecastOver: 'Forecast over budget by {{amount}}.',
  },
};
