// Symphony Elements form values, as the SYMPHONYELEMENTSACTION event carries them.
//
// Controls carry their Symphony name in `data-name` (see render-presentationml.js). The form's own
// methods are called through HTMLFormElement.prototype so that nothing in the message can shadow them.

const formElements = (form) =>
  Array.from(Object.getOwnPropertyDescriptor(HTMLFormElement.prototype, 'elements').get.call(form));

/**
 * Collects the values of a rendered Elements form: every named control in document order (unchecked
 * checkboxes and radios are left out, placeholders are never values), a name used more than once
 * becomes an array, and the clicked action button's name becomes `action`.
 */
export function collectFormValues(form, actionName) {
  const values = {};
  const add = (name, value) => {
    const existing = values[name];
    if (existing === undefined) values[name] = value;
    else if (Array.isArray(existing)) existing.push(value);
    else values[name] = [existing, value];
  };
  for (const control of formElements(form)) {
    const name = control.dataset?.name;
    if (!name || control.localName === 'button') continue;
    if (control.localName === 'select') {
      for (const option of Array.from(control.selectedOptions)) add(name, option.value);
    } else if (control.type === 'checkbox' || control.type === 'radio') {
      if (control.checked) add(name, control.value);
    } else {
      add(name, control.value);
    }
  }
  values.action = actionName;
  return values;
}

/** Shows the browser's messages for invalid fields; true when the form may be submitted. */
export function reportFormValidity(form) {
  return HTMLFormElement.prototype.reportValidity.call(form);
}

/** Restores the form's initial values (multi-submit="reset"). */
export function resetForm(form) {
  HTMLFormElement.prototype.reset.call(form);
}

/** Disables every control of a submitted form (Symphony forms lock after submit unless multi-submit). */
export function lockForm(form, note) {
  for (const control of formElements(form)) control.disabled = true;
  form.classList.add('submitted');
  const status = document.createElement('div');
  status.className = 'form-status';
  status.textContent = note;
  form.append(status);
}
