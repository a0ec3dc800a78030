/** One language's texts: flat keys (dots are part of the key), i18next {{name}} placeholders. */
export type Catalogue = Readonly<Record<string, string>>;
