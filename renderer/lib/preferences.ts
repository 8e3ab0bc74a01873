import type { Locale } from '../../main/contract/schemas';
import { i18n, isLocale } from '../i18n/i18n.svelte';
import { api } from './api';
import { notices } from './notices.svelte';

/** Applies the language saved in the settings file (shared by the desktop app and the web host). */
export async function loadLocale(): Promise<void> {
  const result = await api.settingsGet();
  if (result.ok && isLocale(result.value.locale)) i18n.set(result.value.locale);
}

/** Follows a language chosen in another window or browser tab; returns the unsubscribe function. */
export function followLocale(): () => void {
  return api.on('settings:changed', ({ locale }) => {
    if (isLocale(locale)) i18n.set(locale);
  });
}

/** Switches the language now and remembers it for every host. */
export async function chooseLocale(locale: Locale): Promise<void> {
  i18n.set(locale);
  const result = await api.settingsUpdate({ locale });
  if (!result.ok) notices.fail(result.error);
}
