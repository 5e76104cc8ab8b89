import { XMLParser, XMLValidator } from 'fast-xml-parser';

/**
 * InsideView's XML answers, read into plain values. A module of its own because JSON is what
 * Headroom asks for: the XML parser is loaded only when an answer is XML after all.
 */

const xmlParser = new XMLParser({
  ignoreAttributes: true,
  parseTagValue: false,
  ignoreDeclaration: true,
  ignorePiTags: true,
});

export type XmlReading = { ok: true; document: unknown } | { ok: false; reason: string };

export function readXml(body: string): XmlReading {
  // The validator moved to the separate fast-xml-validator package in fast-xml-parser 5, which
  // Headroom does not depend on; the bundled one still works and catches what the lenient parser lets through.
  // eslint-disable-next-line @typescript-eslint/no-deprecated
  const valid = XMLValidator.validate(body);
  if (valid !== true) return { ok: false, reason: `line ${valid.err.line}: ${valid.err.msg.replace(/\.+$/, '')}` };
  try {
    return { ok: true, document: xmlParser.parse(body) as unknown };
  } catch (error) {
    return { ok: false, reason: error instanceof Error ? error.message : 'unknown error' };
  }
}
