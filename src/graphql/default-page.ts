// A connection asked for without `first` or `last` reads one page
// (GRAPHQL_MAX_PAGE), not the whole set; larger pages are refused before
// planning (src/graphql/limits.ts).
import { ConnectionStep } from "postgraphile/grafast";
import { wrapPlans } from "postgraphile/utils";

export function makeDefaultPagePlugin(maxPage: number): GraphileConfig.Plugin {
  return wrapPlans(
    (context) => (context.scope.isPgFieldConnection ? true : null),
    () => (plan, _$source, fieldArgs) => {
      const $connection = plan();
      // The arguments given (first, last, after…) apply now, so that what is
      // left unset can be seen; grafast then applies nothing twice.
      fieldArgs.autoApply($connection);
      if ($connection instanceof ConnectionStep && !$connection.getFirst() && !$connection.getLast()) {
        $connection.setFirst(maxPage);
      }
      return $connection;
    },
    { name: "LifegraphDefaultPagePlugin" },
  );
}
