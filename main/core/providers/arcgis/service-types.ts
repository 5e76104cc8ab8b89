/**
 * Readable names for the service types (`stype`) of ArcGIS Online's usage statistics, as the
 * organization's credits page names them. Codes from Esri's own clients (node-arcgis's
 * `sTypeToService` and `parseProduct`, the ArcGIS API for Python's usage reports); a code not listed
 * here keeps its own name, so a new service shows up rather than vanishing.
 */
const SERVICE_TYPE_LABELS: Readonly<Record<string, string>> = {
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
};

export function serviceTypeLabel(stype: string): string {
  return SERVICE_TYPE_LABELS[stype.toLowerCase()] ?? `Other (${stype})`;
}
