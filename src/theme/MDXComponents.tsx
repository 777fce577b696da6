/**
 * The components every chapter can use without importing them: Docusaurus's own map, plus the course's.
 * A course component is added here once, and MDX pages use it by name.
 */
import MDXComponents from '@theme-original/MDXComponents';
import Lab from '@site/src/components/Lab';
import KnowledgeCheck from '@site/src/components/KnowledgeCheck';
import ScrollableTable from '@site/src/components/ScrollableTable';

export default {
  ...MDXComponents,
  table: ScrollableTable,
  Lab,
  KnowledgeCheck,
};
