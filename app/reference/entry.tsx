import { lazy } from 'react';
import type { ViewContext, ViewEntry } from '../views/viewEntry';

const ReferenceView = lazy(() => import('./ReferenceView').then((m) => ({ default: m.ReferenceView })));

/** The loss zoo and the checks. */
export const referenceView = {
  id: 'reference',
  title: 'Loss zoo & checks',
  render: (ctx: ViewContext<undefined>) => <ReferenceView engine={ctx.engine} ready={ctx.report !== null} />,
} as const satisfies ViewEntry<'reference', undefined>;
