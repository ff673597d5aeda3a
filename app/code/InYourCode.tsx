import { useId, useMemo, useRef, useState } from 'react';
import type { LossSpec, Task } from '../../src/losses/lossDefinition';
import type { LibraryCall } from '../../src/code/libraryCall';
import { takeHome, type TakeHome } from '../../src/code/takeHome';
import { TASK_WORDS } from '../../src/code/torchLayout';
import { CodeBlock } from './CodeBlock';
import './inYourCode.css';

const TABS = [
  { id: 'library', label: 'Library call' },
  { id: 'torch', label: 'PyTorch function' },
  { id: 'tfjs', label: 'tfjs' },
] as const;
type Tab = (typeof TABS)[number]['id'];

const callKey = (c: LibraryCall) => c.presets.map((p) => p.key).join(' + ');

function LibraryPanel({ code }: { code: TakeHome }) {
  if (code.library.length > 0) {
    return (
      <>
        {code.library.length > 1 && <p className="hint">These compute the same loss.</p>}
        {code.library.map((c) => (
          <CodeBlock key={callKey(c)} label={c.library} code={c.code} />
        ))}
      </>
    );
  }
  return (
    <>
      <p className="hint">
        No segmentation_models_pytorch or MONAI call computes exactly this loss: the PyTorch function does.
        {code.near.length > 0 && ' The nearest library calls, and where they differ:'}
      </p>
      {code.near.map((c) => (
        <div key={callKey(c)}>
          <p className="code-differs">{c.differences.map((d) => `${d.label}: ${d.library} there, ${d.yours} here`).join('; ')}</p>
          <CodeBlock label={c.library} code={c.code} />
        </div>
      ))}
    </>
  );
}

/** The tabs and their panel, for one loss on one task. */
function CodeTabs({ spec, task }: { spec: LossSpec; task: Task }) {
  const [tab, setTab] = useState<Tab>('library');
  const id = useId();
  const buttons = useRef<(HTMLButtonElement | null)[]>([]);
  const code = useMemo(() => takeHome(spec, task), [spec, task]);
  // Arrow keys move between the tabs, as a tab list does.
  const onKey = (e: React.KeyboardEvent, i: number) => {
    const step = e.key === 'ArrowRight' ? 1 : e.key === 'ArrowLeft' ? -1 : 0;
    if (!step) return;
    e.preventDefault();
    const next = (i + step + TABS.length) % TABS.length;
    setTab(TABS[next].id);
    buttons.current[next]?.focus();
  };
  return (
    <>
      <div role="tablist" aria-label="The loss in PyTorch or in this project" className="code-tabs">
        {TABS.map((t, i) => (
          <button
            key={t.id}
            ref={(el) => {
              buttons.current[i] = el;
            }}
            type="button"
            role="tab"
            id={`${id}-${t.id}`}
            aria-selected={tab === t.id}
            aria-controls={`${id}-panel`}
            tabIndex={tab === t.id ? 0 : -1}
            onClick={() => setTab(t.id)}
            onKeyDown={(e) => onKey(e, i)}
          >
            {t.label}
          </button>
        ))}
      </div>
      <div role="tabpanel" id={`${id}-panel`} aria-labelledby={`${id}-${tab}`} className="code-panel">
        {tab === 'library' && <LibraryPanel code={code} />}
        {tab === 'torch' && (
          <>
            <CodeBlock label="PyTorch function" code={code.torch} />
            <p className="hint">
              Self-contained, with these options; <code>npm run torch:check</code> runs it on the reference vectors.
            </p>
          </>
        )}
        {tab === 'tfjs' && <CodeBlock label="tfjs: this project’s own loss" code={code.tfjs} />}
      </div>
    </>
  );
}

/**
 * "In your code": a loss as a segmentation_models_pytorch or MONAI call (where one computes the same thing), as a
 * self-contained PyTorch function, and as this project's tfjs loss, each with a Copy button. A loss offered for
 * more than one task (the zoo) has a task switch. Nothing is generated until it is opened.
 */
export function InYourCode({ choices, title = 'In your code' }: { choices: readonly { task: Task; spec: LossSpec }[]; title?: string }) {
  const [open, setOpen] = useState(false);
  const [task, setTask] = useState(choices[0].task);
  const group = useId();
  const chosen = choices.find((c) => c.task === task) ?? choices[0];
  return (
    <details className="in-your-code" onToggle={(e) => setOpen(e.currentTarget.open)}>
      <summary>{title}</summary>
      {open && (
        <div className="code-body">
          {choices.length > 1 && (
            <fieldset className="code-task">
              <legend className="visually-hidden">Task</legend>
              {choices.map((c) => (
                <label key={c.task}>
                  <input type="radio" name={group} checked={c.task === chosen.task} onChange={() => setTask(c.task)} />
                  {TASK_WORDS[c.task]}
                </label>
              ))}
            </fieldset>
          )}
          <CodeTabs spec={chosen.spec} task={chosen.task} />
        </div>
      )}
    </details>
  );
}
