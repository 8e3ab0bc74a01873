import type { ContractError } from '../../main/contract/errors';
import type { MessageKey, Params } from '../i18n/i18n.svelte';

/**
 * What the app has to tell the user right now: one error (shown in the alert banner) and one
 * short status line (announced politely). Both keep the code and params, not the sentence, so a
 * language switch rewords them in place.
 */
class Notices {
  error = $state.raw<ContractError | null>(null);
  status = $state.raw<{ key: MessageKey; params?: Params } | null>(null);

  fail(error: ContractError): void {
    this.status = null;
    this.error = error;
  }

  say(key: MessageKey, params?: Params): void {
    this.status = { key, params };
  }

  /** Called when the user starts a new action: old news would only confuse. */
  clear(): void {
    this.error = null;
    this.status = null;
  }
}

export const notices = new Notices();
