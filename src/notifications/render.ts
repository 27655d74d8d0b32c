// Templates are Mustache (logic-less, so the database can check at save time
// which variables a template uses). The newest active template for the
// user's locale is picked in SQL, with fallback to the language, then `en`.
import Mustache from "mustache";
import type { DeliveryClaim, Query, Rendered } from "./channels.js";

interface TemplateRow extends Record<string, unknown> {
  subject: string | null;
  body: string | null;
}

export async function render(query: Query, claim: DeliveryClaim, appUrl: string): Promise<Rendered> {
  const [template] = await query<TemplateRow>(
    "select (t).subject, (t).body from (select app_private.pick_template($1, $2, $3) as t) x",
    [claim.type, claim.channel === "webhook" ? "in_app" : claim.channel, claim.locale],
  );
  const view = { username: claim.username, ...claim.data, app_url: appUrl };
  if (!template?.body) {
    // No template for this type and channel: say what happened, plainly.
    return { subject: claim.type, body: JSON.stringify(claim.data) };
  }
  // Plain text everywhere: no HTML escaping of the variables.
  const text = (source: string) => Mustache.render(source, view, undefined, { escape: (value) => String(value) });
  return { subject: text(template.subject ?? claim.type), body: text(template.body) };
}
