// The checks every derived view must pass, shared by the exhaustive and property tests.
// Returns the problems found (empty when the view is well formed).
import { deriveKeyView, type KeyView, type KeyViewInput } from '../../../shared/view/key-view';
import { formatMessage, isMessageKey } from '../../../shared/view/messages';
import { detectOutOfSync } from '../../../shared/view/out-of-sync';
import { NOTICE_ACTIONS, VIEW_KINDS, type ViewKindInfo } from '../../../shared/view/view-kind';

const NUMERIC_PARAMS = ['attemptsRemain', 'minPinLength', 'code'];

export function problemsOf(input: KeyViewInput, view: KeyView): string[] {
  const problems: string[] = [];
  const info = (VIEW_KINDS as Record<string, ViewKindInfo | undefined>)[view.kind];
  if (!info) return [`unknown kind ${String(view.kind)}`];
  if (!isMessageKey(view.messageKey)) problems.push(`unknown message ${String(view.messageKey)}`);
  if (!info.messages.includes(view.messageKey))
    problems.push(`message ${view.messageKey} not for ${view.kind}`);
  const text = formatMessage(view.messageKey, view.params);
  if (/\{\w+\}/.test(text)) problems.push(`unfilled placeholder in "${text}"`);
  if (view.severity !== info.severity) problems.push('severity differs from the catalogue');
  const expectedActions = view.serverNotice
    ? [
        ...info.actions,
        ...NOTICE_ACTIONS[view.serverNotice.kind].filter((a) => !info.actions.includes(a)),
      ]
    : info.actions;
  if (JSON.stringify(view.actions) !== JSON.stringify(expectedActions)) {
    problems.push(`actions ${view.actions.join(',')} != ${expectedActions.join(',')}`);
  }
  if (view.serverNotice && !info.takesNotice) problems.push('notice on a kind that takes none');
  if (info.takesNotice) {
    const state = input.connection.state;
    const want = state === 'offline' || state === 'connecting' || state === 'notConfigured';
    if (want !== (view.serverNotice !== undefined))
      problems.push(`notice ${String(view.serverNotice?.kind)} with ${state}`);
  }
  const params = view.params as Record<string, unknown>;
  for (const name of NUMERIC_PARAMS) {
    if (name in params && !Number.isInteger(params[name])) problems.push(`${name} not an integer`);
  }
  if (
    view.kind === 'awaitingActivation' ||
    view.kind === 'suspended' ||
    view.kind === 'pinRequired'
  ) {
    if (!(view.params.attemptsRemain > 0))
      problems.push(`${view.kind} with ${view.params.attemptsRemain} attempts`);
  }
  const canEnterCode = view.actions.includes('enterActivationCode');
  if (canEnterCode !== (view.kind === 'awaitingActivation' || view.kind === 'suspended')) {
    problems.push('enterActivationCode offered outside code entry');
  }
  const outOfSync = detectOutOfSync(
    input.key,
    input.connection.state === 'notConfigured' ? { kind: 'none' } : input.answer,
  );
  if (JSON.stringify(outOfSync) !== JSON.stringify(view.outOfSync))
    problems.push('outOfSync differs from detectOutOfSync');
  if (JSON.stringify(JSON.parse(JSON.stringify(view))) !== JSON.stringify(view))
    problems.push('not plain data');
  if (JSON.stringify(deriveKeyView(input)) !== JSON.stringify(view))
    problems.push('not deterministic');
  return problems;
}
