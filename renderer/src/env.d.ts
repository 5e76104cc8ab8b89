/** Stylesheets are imported for their side effect; Vite extracts them into a file of their own. */
declare module '*.css';
