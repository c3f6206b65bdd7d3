// Side-effect CSS imports (forms.css) are Vite modules; TypeScript 6 checks side-effect imports.
/// <reference types="vite/client" />
