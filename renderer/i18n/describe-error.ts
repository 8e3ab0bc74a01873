import type { ContractError } from '../../main/contract/errors';
import { t, type MessageKey } from './i18n.svelte';

const fieldKeys: Record<string, MessageKey> = {
  name: 'fields.name',
  description: 'fields.description',
  id: 'fields.id',
  locale: 'fields.locale',
  currentStep: 'fields.currentStep',
  completedSteps: 'fields.completedSteps',
  '(payload)': 'fields.payload',
};

/** Params worth showing under the sentence when the sentence itself does not mention them. */
const detailKeys = {
  file: 'errors.detail.file',
  sheet: 'errors.detail.sheet',
  row: 'errors.detail.row',
  column: 'errors.detail.column',
  path: 'errors.detail.path',
} as const satisfies Record<string, MessageKey>;

/** The field a payload error points at, in words ("patch.name" -> "Project name"). */
function fieldLabel(field: string): string {
  const last = field.split('.').findLast((part) => !/^\d+$/.test(part)) ?? field;
  const key = fieldKeys[last];
  return key ? t(key) : field;
}

function messageKey(error: ContractError): MessageKey {
  switch (error.code) {
    case 'invalid_payload':
      return /(^|\.)name$/.test(String(error.params?.field ?? '')) ? 'errors.invalid_name' : 'errors.invalid_payload';
    case 'io_error':
      return error.params?.path !== undefined ? 'errors.io_error_path' : 'errors.io_error';
    case 'not_found':
      return error.params?.file !== undefined ? 'errors.not_found_file' : 'errors.not_found';
    default:
      return `errors.${error.code}`;
  }
}

/** One sentence, in the current language, for any error the contract can return. */
export function describeError(error: ContractError): string {
  const params = { ...error.params };
  if (error.code === 'invalid_payload') params.field = fieldLabel(String(params.field ?? '(payload)'));
  return t(messageKey(error), params);
}

/** "File: sales.csv", "Row: 12"… for the params the sentence did not already use. */
export function describeErrorDetails(error: ContractError): string[] {
  const template = t(messageKey(error)); // placeholders stay visible without params
  return Object.entries(detailKeys)
    .filter(([param]) => error.params?.[param] !== undefined && !template.includes(`{${param}}`))
    .map(([param, key]) => t(key, { value: error.params[param] }));
}
