// deploy/: the KServe manifests and the Dockerfile agree with each other and with `modelc serve`:
// kinds and API versions, the runtime and model format the InferenceService asks for, protocol v2,
// ports, probe paths that are routes of the server, and container arguments that are options of
// the serve command. The YAML is read by a small reader of the block subset the manifests use
// (maps, lists, scalars, comments), so no YAML dependency.

import { readFileSync } from "node:fs";
import { join } from "node:path";
import { Command } from "commander";
import { describe, expect, it } from "vitest";
import { defineServeCommand } from "../../src/cli/serve.ts";
import { ROOT } from "../bundle/support.ts";

type Yaml = string | number | boolean | null | Yaml[] | { [k: string]: Yaml };

/** Block-style YAML: maps, `- ` lists (of scalars or maps), plain and quoted scalars, `#` comments. */
function readYaml(text: string): Yaml {
  const lines = text
    .split("\n")
    .map((l) => l.replace(/\s+#.*$|^\s*#.*$/, ""))
    .filter((l) => l.trim() !== "")
    .map((l) => ({ indent: l.length - l.trimStart().length, text: l.trim() }));
  let i = 0;
  const scalar = (s: string): Yaml => {
    if (/^".*"$|^'.*'$/.test(s)) return s.slice(1, -1);
    if (s === "true" || s === "false") return s === "true";
    if (s === "null" || s === "~") return null;
    if (/^-?\d+(\.\d+)?$/.test(s)) return Number(s);
    return s;
  };
  const block = (indent: number): Yaml => {
    if (lines[i]!.text.startsWith("- ") || lines[i]!.text === "-") {
      const list: Yaml[] = [];
      while (i < lines.length && lines[i]!.indent === indent && lines[i]!.text.startsWith("-")) {
        const rest = lines[i]!.text.slice(1).trim();
        if (/^[^"'][^:]*:(\s|$)/.test(rest)) {
          // a map item: its first key on the dash line, the others indented under it
          lines[i] = { indent: indent + 2, text: rest };
          list.push(block(indent + 2));
        } else {
          i++;
          list.push(scalar(rest));
        }
      }
      return list;
    }
    const map: { [k: string]: Yaml } = {};
    while (i < lines.length && lines[i]!.indent === indent && !lines[i]!.text.startsWith("- ")) {
      const m = /^([^:]+):(?:\s+(.*))?$/.exec(lines[i]!.text);
      if (!m) throw new Error(`not YAML this reader knows: ${lines[i]!.text}`);
      i++;
      if (m[2] !== undefined) map[m[1]!] = scalar(m[2]);
      else if (i < lines.length && lines[i]!.indent > indent) map[m[1]!] = block(lines[i]!.indent);
      else if (i < lines.length && lines[i]!.indent === indent && lines[i]!.text.startsWith("- ")) map[m[1]!] = block(indent);
      else map[m[1]!] = null;
    }
    return map;
  };
  const doc = block(0);
  if (i !== lines.length) throw new Error(`YAML not read past: ${lines[i]!.text}`);
  return doc;
}

const read = (f: string) => readFileSync(join(ROOT, "deploy", f), "utf8");
const serveOptions = () => defineServeCommand(new Command("serve"), () => {}).options.map((o) => o.long);

/** The flags of an argument list, each an option of `modelc serve`, with its value. */
function flagsOf(args: string[]): Map<string, string> {
  const known = serveOptions();
  const flags = new Map<string, string>();
  for (let k = 1; k < args.length; k += 2) {
    expect(known, `${args[k]} is an option of modelc serve`).toContain(args[k]);
    flags.set(args[k]!, args[k + 1]!);
  }
  return flags;
}

describe("deploy/", () => {
  const rt = readYaml(read("kserve/servingruntime.yaml")) as any;
  const isvc = readYaml(read("kserve/inferenceservice.yaml")) as any;

  it("reads the YAML subset", () => {
    expect(readYaml("a: 1\nb:\n  - x\n  - name: y\n    v: '2'\nc: true # note\n")).toEqual({ a: 1, b: ["x", { name: "y", v: "2" }], c: true });
  });

  it("ServingRuntime: KServe's kind, protocol v2, probes on the Open Inference Protocol's health routes", () => {
    expect(rt).toMatchObject({ apiVersion: "serving.kserve.io/v1alpha1", kind: "ServingRuntime", metadata: { name: "modelc" } });
    expect(rt.spec.protocolVersions).toEqual(["v2", "grpc-v2"]);
    const [c] = rt.spec.containers;
    expect(c.name).toBe("kserve-container");
    const flags = flagsOf(c.args);
    expect(c.args[0]).toBe("/mnt/models"); // where KServe's storage initializer puts the storageUri
    expect(flags.get("--host")).toBe("0.0.0.0");
    expect(c.ports.map((p: any) => p.containerPort)).toEqual([Number(flags.get("--port"))]);
    expect(flags.get("--grpc-port")).toBe("8081");
    expect(c.readinessProbe.httpGet).toEqual({ path: "/v2/health/ready", port: Number(flags.get("--port")) });
    expect(c.livenessProbe.httpGet).toEqual({ path: "/v2/health/live", port: Number(flags.get("--port")) });
    expect(c.securityContext).toMatchObject({ runAsNonRoot: true, allowPrivilegeEscalation: false });
    expect(rt.metadata.annotations["prometheus.kserve.io/path"]).toBe("/metrics");
  });

  it("InferenceService: asks for the runtime's model format and protocol", () => {
    expect(isvc).toMatchObject({ apiVersion: "serving.kserve.io/v1beta1", kind: "InferenceService" });
    const model = isvc.spec.predictor.model;
    expect(model.runtime).toBe(rt.metadata.name);
    expect(rt.spec.supportedModelFormats.map((f: any) => f.name)).toContain(model.modelFormat.name);
    expect(rt.spec.protocolVersions).toContain(model.protocolVersion);
    expect(model.storageUri).toMatch(/^[a-z0-9]+:\/\//);
  });

  it("Dockerfile: multi-stage, non-root, serves the bundle folder with modelc serve's own options on the exposed ports", () => {
    const d = read("Dockerfile");
    expect(d.match(/^FROM /gm)!.length).toBeGreaterThanOrEqual(2);
    expect(d).toMatch(/^USER node$/m);
    const cmd = JSON.parse(/^CMD (\[.*\])$/m.exec(d)![1]!) as string[];
    expect(JSON.parse(/^ENTRYPOINT (\[.*\])$/m.exec(d)![1]!)).toEqual(["node", "/opt/modelc/bin/modelc.js", "serve"]);
    const flags = flagsOf(cmd);
    const exposed = /^EXPOSE (.*)$/m.exec(d)![1]!.split(/\s+/);
    expect(exposed).toEqual([flags.get("--port"), flags.get("--grpc-port")]);
    // the gRPC service reads its .proto at run time
    expect(d).toContain("src/serve/grpc/inference.proto");
  });
});
