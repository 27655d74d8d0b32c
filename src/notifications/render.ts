// Templates are Mustache (logic-less, so the database can check at save time
// which variables a template uses). The newest active template for the
// user's locale is picked in SQL with the claim (app_private.pick_template:
// the locale, then its language, then `en`).
import Mustache from "mustache";
import type { DeliveryClaim, Rendered } from "./channels.js";

export function render(claim: DeliveryClaim, appUrl: string): Rendered {
  const view = { username: claim.username, ...claim.data, app_url: appUrl };
  if (!claim.template_body) {
    // No template for this type and channel: say what happened, plainly.
    return { subject: claim.type, body: JSON.stringify(claim.data) };
  }
  // Plain text everywhere: no HTML escaping of the variables.
  const text = (source: string) => Mustache.render(source, view, undefined, { escape: (value) => String(value) });
  return { subject: text(claim.template_subject ?? claim.type), body: text(claim.template_body) };
}
