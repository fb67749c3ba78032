/**
 * The Properties tab as an editable form: text fields, focus, and the
 * problems of the last rejected Apply shown under their field. Pure: the
 * dashboard feeds it keys and calls role.apply(formInput(form)).
 */
import type { ConfigProblem } from '../plugin/config/configProblem.js';
import type { ConfigField, ConfigInput, PluginConfig } from '../plugin/config/pluginConfig.js';
import { FIELD_LABEL } from '../plugin/config/pluginConfig.js';
import { problemsByField } from './viewModel.js';

export const FORM_FIELDS: readonly ConfigField[] = ['host', 'port', 'alarmRecipients', 'alarmPartitions', 'credentialSync'];

export interface FormState {
  values: Record<ConfigField, string>;
  focus: number;
  problems: Partial<Record<ConfigField, string>>;
  /** A line under the form: "Applied", "Apply rejected, nothing changed". */
  status: string;
}

export function formFromConfig(config: PluginConfig | null): FormState {
  return {
    values: {
      host: config?.host ?? '',
      port: config ? String(config.port) : '',
      alarmRecipients: config?.alarmRecipients.join(', ') ?? '',
      alarmPartitions: config?.alarmPartitions.join(', ') ?? '',
      credentialSync: config?.credentialSync ? 'yes' : 'no',
    },
    focus: 0,
    problems: {},
    status: 'Tab/Up/Down: field  Enter: Apply  Esc: cancel',
  };
}

const list = (s: string): string[] =>
  s
    .split(',')
    .map((x) => x.trim())
    .filter((x) => x.length > 0);

/** What the operator typed, as role.apply takes it (validation is the role's). */
export function formInput(f: FormState): ConfigInput {
  const cs = f.values.credentialSync.trim().toLowerCase();
  return {
    host: f.values.host.trim(),
    port: f.values.port.trim(),
    alarmRecipients: list(f.values.alarmRecipients),
    alarmPartitions: list(f.values.alarmPartitions),
    credentialSync: ['yes', 'on', 'true'].includes(cs) ? true : ['no', 'off', 'false'].includes(cs) ? false : f.values.credentialSync,
  };
}

export function withProblems(f: FormState, problems: readonly ConfigProblem[]): FormState {
  return { ...f, problems: problemsByField(problems), status: `Apply rejected, nothing changed (${problems.length} problem${problems.length === 1 ? '' : 's'})` };
}

export type FormKey = { name: string; ch?: string | undefined; ctrl?: boolean };
export type FormOutcome = { form: FormState; action: 'none' | 'apply' | 'cancel' };

/** One text edit: printable characters append, backspace deletes, Ctrl-U clears. */
export function editText(value: string, key: FormKey): string {
  if (key.name === 'backspace') return value.slice(0, -1);
  if (key.ctrl && key.name === 'u') return '';
  if (key.ch !== undefined && key.ch.length === 1 && !key.ctrl && key.ch >= ' ' && key.ch !== '\x7f') return value + key.ch;
  return value;
}

export function formKey(f: FormState, key: FormKey): FormOutcome {
  const n = FORM_FIELDS.length;
  switch (key.name) {
    case 'escape':
      return { form: f, action: 'cancel' };
    // blessed reports Enter as "return" then "enter": act once.
    case 'enter':
      return { form: f, action: 'apply' };
    case 'tab':
    case 'down':
      return { form: { ...f, focus: (f.focus + 1) % n }, action: 'none' };
    case 'up':
      return { form: { ...f, focus: (f.focus + n - 1) % n }, action: 'none' };
  }
  const field = FORM_FIELDS[f.focus] ?? 'host';
  if (field === 'credentialSync' && key.ch === ' ') {
    const on = formInput(f).credentialSync === true;
    return { form: { ...f, values: { ...f.values, credentialSync: on ? 'no' : 'yes' } }, action: 'none' };
  }
  const next = editText(f.values[field], key);
  if (next === f.values[field]) return { form: f, action: 'none' };
  return { form: { ...f, values: { ...f.values, [field]: next } }, action: 'none' };
}

/** The form's text: one line per field (focused one marked), its problem under it. */
export function formLines(f: FormState): string[] {
  const out: string[] = [];
  FORM_FIELDS.forEach((field, i) => {
    const mark = i === f.focus ? '>' : ' ';
    out.push(`${mark} ${`${FIELD_LABEL[field]}:`.padEnd(18)}[${f.values[field]}${i === f.focus ? '_' : ''}]`);
    const p = f.problems[field];
    if (p) out.push(`    ! ${p}`);
  });
  out.push('', f.status);
  return out;
}
