/**
 * The theme's CodeBlock without its remount after hydration. The original gives its content `key={isBrowser}`, so
 * that every code block of a page is built again, Prism tokens and all, the moment the page has hydrated: on a
 * chapter with a dozen configuration files that is one long task that blocks a phone's main thread (it was the
 * largest part of a chapter's Total Blocking Time after the diagrams, see bench/diagrams.bench.mjs). The remount
 * dates from when the colour mode was known during hydration; now `useColorMode()` starts at the default mode, as
 * the server rendered it, and moves to the reader's mode in an effect, and that ordinary update recolours the tokens.
 * (Content/index.tsx keeps the lines from being built again when the block's word-wrap state changes.)
 *
 * The blocks are not deferred with `content-visibility: auto`: the theme's word-wrap measures every block's width in
 * an effect right after hydration, which lays out a deferred block there and then, in the task that blocks.
 */
import React, {isValidElement, type ComponentType, type ReactNode} from 'react';
import ElementContent from '@theme/CodeBlock/Content/Element';
import StringContent from '@theme/CodeBlock/Content/String';
import type {Props} from '@theme/CodeBlock';

/** The children as one string when they are only strings (so that the copy button can copy them), as the original. */
function maybeStringifyChildren(children: ReactNode): ReactNode {
  if (React.Children.toArray(children).some((child) => isValidElement(child))) {
    return children;
  }
  return Array.isArray(children) ? children.join('') : children;
}

export default function CodeBlock({children: rawChildren, ...props}: Props): ReactNode {
  const children = maybeStringifyChildren(rawChildren);
  const Content = (typeof children === 'string' ? StringContent : ElementContent) as ComponentType<Props>;
  return <Content {...props}>{children}</Content>;
}
