// What a group name may be: 1–256 characters, none of them a control character. Anything else
// (commas, spaces, `__proto__`, `constructor`) is an ordinary name: identity travels in one JSON
// header and groups are looked up as own keys only. A token's group that breaks the rule is
// dropped (scopes.yml cannot name it either, so it could never grant anything).
export const GROUP_NAME_MAX = 256;

// C0, DEL and C1 controls, plus the line/paragraph separators: they would break log lines.
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;

export function isGroupName(value: unknown): value is string {
  return typeof value === 'string' && value.length > 0 && value.length <= GROUP_NAME_MAX && !CONTROL.test(value);
}

export const GROUP_NAME_RULE = `1–${GROUP_NAME_MAX} characters, no control characters`;
