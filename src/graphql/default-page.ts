// A connection asked for without `first` or `last` reads one page
// (GRAPHQL_MAX_PAGE), not the whole set; larger pages are refused before
// planning (src/graphql/limits.ts).
import { ConnectionStep, constant, type Step } from "postgraphile/grafast";
import { wrapPlans } from "postgraphile/utils";

/** A collection that paginates itself (a PgSelectStep): the page size can be set on it directly. */
interface SelfPaginating {
  paginationSupport?: { full?: boolean } | null;
  setFirst?(first: Step): void;
}

export function makeDefaultPagePlugin(maxPage: number): GraphileConfig.Plugin {
  return wrapPlans(
    (context) => (context.scope.isPgFieldConnection ? true : null),
    () => (plan, _$source, fieldArgs) => {
      const $connection = plan();
      // The arguments given (first, last, after…) apply now, so that what is
      // left unset can be seen; grafast then applies nothing twice.
      fieldArgs.autoApply($connection);
      if ($connection instanceof ConnectionStep && !$connection.getFirst() && !$connection.getLast()) {
        // ConnectionStep.setFirst would mark the page as fetched even when
        // only totalCount or aggregates are selected: a second, empty query
        // in a transaction of its own. A self-paginating collection takes
        // the default itself, and is fetched only if nodes or edges are.
        const collection = $connection.getSubplan() as SelfPaginating;
        if (collection.paginationSupport?.full && collection.setFirst) collection.setFirst(constant(maxPage));
        else $connection.setFirst(maxPage);
      }
      return $connection;
    },
    { name: "LifegraphDefaultPagePlugin" },
  );
}
