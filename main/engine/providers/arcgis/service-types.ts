import { engineNames } from '../../../../shared/i18n/locales/engine-names';

/**
 * Readable names for the service types (`stype`) of ArcGIS Online's usage statistics, as the
 * organization's credits page names them. The codes come from Esri's own clients (node-arcgis's
 * `sTypeToService` and `parseProduct`, the ArcGIS API for Python's usage reports), the names from
 * the message catalog (`names.arcgisService`), so the windows can say them in German too. A code not
 * listed there keeps its own name, so a new service shows up rather than vanishing.
 */
const SERVICE_TYPE_NAMES: Readonly<Record<string, string>> = engineNames.arcgisService;

export function serviceTypeLabel(stype: string): string {
  return SERVICE_TYPE_NAMES[stype.toLowerCase()] ?? engineNames.otherArcgisService.replace('{{code}}', stype);
}
