// `@orderedBy created_at desc, id desc` on a set-returning function of a
// table's rows states the function's own ORDER BY as columns of its rows.
//
// PostGraphile trusts the order rows come out of a setof function in
// (hasImplicitOrder), and so will not join anything into its query: each
// single-row field of those rows (an event's actor, a user's stats) costs a
// second statement, in a transaction of its own. With the tag, the field
// orders the page by those columns in SQL instead, and the row's fields join
// into the page's one statement. The order must be total (it covers a unique
// key of the table), so the rows come back exactly as the function sorts them.
import { ConnectionStep, type Step } from "postgraphile/grafast";
import { PgSelectStep } from "postgraphile/@dataplan/pg";

interface OrderTerm {
  attribute: string;
  direction: "ASC" | "DESC";
}

/** The terms of an @orderedBy tag: `column [asc|desc]`, comma-separated. */
function parseOrder(tag: unknown, where: string): OrderTerm[] {
  if (typeof tag !== "string") throw new Error(`${where}: @orderedBy takes one line, e.g. "created_at desc, id desc"`);
  return tag.split(",").map((term) => {
    const match = /^\s*(\w+)(?:\s+(asc|desc))?\s*$/i.exec(term);
    if (!match) throw new Error(`${where}: @orderedBy cannot read "${term.trim()}"`);
    return { attribute: match[1]!, direction: match[2]?.toUpperCase() === "DESC" ? "DESC" : "ASC" };
  });
}

export const OrderedFunctionsPlugin: GraphileConfig.Plugin = {
  name: "LifegraphOrderedFunctionsPlugin",
  version: "1.0.0",
  gather: {
    hooks: {
      // Functions returning rows of a table or of a named type come here: the
      // columns and unique keys tell whether the page can state the order (a
      // type has no unique key, so only a table's rows pass).
      pgProcedures_functionResourceOptions(_info, { pgProc, baseResourceOptions, functionResourceOptions }) {
        const tag = functionResourceOptions.extensions?.tags?.orderedBy;
        if (tag === undefined) return;
        const where = `${pgProc.getNamespace()?.nspname}.${pgProc.proname}`;
        const columns = parseOrder(tag, where).map((t) => t.attribute);
        const attributes = baseResourceOptions.codec.attributes ?? {};
        const unknown = columns.filter((c) => !(c in attributes));
        if (unknown.length) throw new Error(`${where}: @orderedBy names no column ${unknown.join(", ")}`);
        if (!baseResourceOptions.uniques?.some((u) => u.attributes.every((a) => columns.includes(a)))) {
          throw new Error(`${where}: @orderedBy must cover a unique key, so that the order is the function's own`);
        }
        delete functionResourceOptions.hasImplicitOrder;
      },
      // Any other function (scalars, `returns table`) keeps its implicit
      // order: a tag there would say nothing true.
      pgProcedures_PgResourceOptions(_info, { pgProc, resourceOptions }) {
        if (resourceOptions.extensions?.tags?.orderedBy !== undefined && resourceOptions.hasImplicitOrder) {
          throw new Error(`${pgProc.getNamespace()?.nspname}.${pgProc.proname}: @orderedBy is for functions returning setof a table`);
        }
      },
    },
  },
  schema: {
    hooks: {
      GraphQLObjectType_fields_field(field, _build, context) {
        const resource = context.scope.pgFieldResource;
        const tag = resource?.extensions?.tags?.orderedBy;
        const { plan } = field;
        if (!resource || tag === undefined || resource.isUnique || !plan) return field;
        const order = parseOrder(tag, resource.name);
        return {
          ...field,
          plan(...args) {
            const $out: Step = plan.apply(this, args);
            const $select = $out instanceof ConnectionStep ? $out.getSubplan() : $out;
            if (!($select instanceof PgSelectStep)) throw new Error(`${resource.name}: @orderedBy found no select to order`);
            for (const term of order) $select.orderBy(term);
            $select.setOrderIsUnique();
            return $out;
          },
        };
      },
    },
  },
};
