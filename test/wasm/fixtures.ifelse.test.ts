// Every fixture through the WebAssembly build, ifelse style (see fixtureSuite.ts).
import { fixtureSuite } from "./fixtureSuite.ts";

fixtureSuite("ifelse");
