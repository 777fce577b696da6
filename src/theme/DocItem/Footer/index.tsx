/**
 * The doc page's footer as Docusaurus draws it ("Edit this page", the last update), followed on a chapter's page by
 * "Fork this chapter": an instructor who reads a chapter finds there how to take it into their own copy.
 */
import React from 'react';
import Footer from '@theme-original/DocItem/Footer';
import type FooterType from '@theme/DocItem/Footer';
import type { WrapperProps } from '@docusaurus/types';
import ForkChapter from '@site/src/theme/ForkChapter';

type Props = WrapperProps<typeof FooterType>;

export default function FooterWrapper(props: Props): React.JSX.Element {
  return (
    <>
      <Footer {...props} />
      <ForkChapter />
    </>
  );
}
