// The one function of react-dom/server that the unit tests use to render a component to HTML: the project does not
// install @types/react-dom, and the site itself never renders on its own.
declare module 'react-dom/server' {
  import type { ReactNode } from 'react';

  export function renderToStaticMarkup(node: ReactNode): string;
}
