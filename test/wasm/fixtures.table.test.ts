// Every fixture through the WebAssembly build, table style (see fixtureSuite.ts).
import { fixtureSuite } from "./fixtureSuite.ts";

fixtureSuite("table");
