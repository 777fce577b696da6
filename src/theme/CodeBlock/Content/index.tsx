/**
 * The theme's code lines, tokenised again only when what they show changes.
 *
 * The theme's code block keeps its word-wrap state (whether the code is wider than its box, whether wrapping is on) in
 * the same context as the code's metadata, and builds both objects afresh at every render. So the moment a page has
 * hydrated, when each block measures itself and finds it scrolls (most do on a phone), every line of every block was
 * rendered again, Prism tokens and all: on a chapter, one task of about 60 ms of a phone's main thread, for the sake
 * of a button. The lines depend on the code, its language and its line marks, and on the colour mode, which the
 * original reads for itself; here they get a context that changes only when those do.
 */
import {useMemo, type ReactNode} from 'react';
import {CodeBlockContextProvider, useCodeBlockContext} from '@docusaurus/theme-common/internal';
import Content from '@theme-original/CodeBlock/Content';
import type {Props} from '@theme/CodeBlock/Content';

export default function CodeBlockContent({className}: Props): ReactNode {
  const {metadata, wordWrap} = useCodeBlockContext();
  // What the lines are drawn from; the word-wrap state is not in it (the lines only take its element's ref).
  const shown = JSON.stringify([
    metadata.code,
    metadata.language,
    metadata.lineNumbersStart,
    metadata.lineClassNames,
    className,
  ]);
  const {codeBlockRef} = wordWrap;
  return useMemo(
    () => (
      <CodeBlockContextProvider metadata={metadata} wordWrap={wordWrap}>
        <Content className={className} />
      </CodeBlockContextProvider>
    ),
    // `shown` stands for `metadata` and `className`; `wordWrap` is left out on purpose, as said above.
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [shown, codeBlockRef],
  );
}
