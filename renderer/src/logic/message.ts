/** A sentence to be said in the person's language: a catalog key and the values it takes. */
export interface Message<K extends string = string> {
  key: K;
  values?: Record<string, string | number>;
}
