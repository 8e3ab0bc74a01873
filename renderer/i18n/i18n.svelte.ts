import type { Locale } from '../../main/contract/schemas';
import en, { type MessageKey, type Messages } from './en';
import zhCN from './zh-CN';

export type { MessageKey };
export type Params = Record<string, string | number>;

/** The languages the switch offers, each named in its own language. */
export const locales: readonly { id: Locale; label: string }[] = [
  { id: 'en', label: 'English' },
  { id: 'zh-CN', label: '简体中文' },
];

const tables: Record<Locale, Messages> = { en, 'zh-CN': zhCN };
const STORAGE_KEY = 'modelpilot.locale';

export function isLocale(value: unknown): value is Locale {
  return value === 'en' || value === 'zh-CN';
}

/** Replaces `{name}` with params.name; an unknown placeholder stays visible rather than vanishing. */
export function interpolate(text: string, params: Params = {}): string {
  return text.replace(/\{(\w+)\}/g, (whole, name: string) => (Object.hasOwn(params, name) ? String(params[name]) : whole));
}

function cachedLocale(): Locale {
  try {
    const stored = localStorage.getItem(STORAGE_KEY);
    if (isLocale(stored)) return stored;
  } catch {
    // storage can be disabled; the settings file still decides a moment later
  }
  return 'en';
}

/**
 * The UI language. Reading `locale` (directly or through `t`) inside a template or `$derived`
 * makes it re-render on a switch. The settings file (shared by every host) is the truth; the
 * localStorage copy only avoids a flash of the wrong language on first paint.
 */
class I18n {
  locale = $state<Locale>(cachedLocale());

  constructor() {
    this.reflect();
  }

  /** Translates `key` in the current language, filling `{param}` placeholders. */
  t = (key: MessageKey, params?: Params): string => interpolate(tables[this.locale][key] ?? en[key] ?? key, params);

  set(locale: Locale): void {
    this.locale = locale;
    this.reflect();
    try {
      localStorage.setItem(STORAGE_KEY, locale);
    } catch {
      // not fatal: see cachedLocale
    }
  }

  /** Date and time in the current language, e.g. "Nov 28, 2025, 2:09 PM" or "2025年11月28日 14:09". */
  formatDate = (iso: string): string => {
    const date = new Date(iso);
    if (Number.isNaN(date.getTime())) return iso;
    return new Intl.DateTimeFormat(this.locale, { dateStyle: 'medium', timeStyle: 'short' }).format(date);
  };

  private reflect(): void {
    document.documentElement.lang = this.locale;
    document.title = tables[this.locale]['app.name'];
  }
}

export const i18n = new I18n();
export const t = i18n.t;
