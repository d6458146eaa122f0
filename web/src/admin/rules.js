// rules.js (console): form rules the serving forms share
// A value that must be there: text not blank, a number or an id (async-validator's `required` takes an id for a
// string and refuses it), a list not empty.
// required: true only marks the label (*): the validator alone decides.
export const filled = (message, trigger = 'change') => ({
  required: true,
  trigger,
  validator: (rule, v, cb) => ((Array.isArray(v) ? v.length : String(v ?? '').trim()) ? cb() : cb(new Error(message))),
});
