// TypeDoc plugin (see docs/typedoc.json). A package with several entry points (@corral/staggered
// and @corral/staggered/net) gets one module per entry, named after its file; the main entry's
// module would be called "index", which VitePress cannot tell from a folder's index page. Call
// it "main" instead.
import { Converter, ReflectionKind } from "typedoc";

/** @param {import("typedoc").Application} app */
export function load(app) {
  app.converter.on(Converter.EVENT_RESOLVE_BEGIN, (context) => {
    for (const module of context.project.getReflectionsByKind(ReflectionKind.Module)) {
      if (module.name === "index") module.name = "main";
    }
  });
}
