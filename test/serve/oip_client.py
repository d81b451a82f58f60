"""Triton's Python client (tritonclient[http] and [grpc]) against a running `modelc serve`.

Reads a plan from stdin, {"http": "host:port", "grpc": "host:port", "models": [...], "cases": [...]},
runs it over both protocols and prints what the clients saw as JSON on stdout: health, server and
model metadata, each case's outputs (as_numpy, BYTES decoded as UTF-8) and the errors the clients
raised (their status and message). test/serve/oip.test.ts compares it with the fixtures.
"""

import json
import sys

import numpy as np
import tritonclient.grpc as grpcclient
from google.protobuf.json_format import MessageToDict
import tritonclient.http as httpclient
from tritonclient.utils import InferenceServerException


def as_list(a):
    if a is None:
        return None
    if a.dtype == np.object_:
        return [x.decode("utf-8") if isinstance(x, bytes) else x for x in a.reshape(-1).tolist()], list(a.shape)
    return a.reshape(-1).tolist(), list(a.shape)


def error_of(fn):
    try:
        fn()
    except InferenceServerException as e:
        return {"status": str(e.status()), "message": e.message()}
    return None


def run(proto, client, mod, plan):
    out = {
        "live": client.is_server_live(),
        "ready": client.is_server_ready(),
        "server": client.get_server_metadata() if proto == "http" else client.get_server_metadata(as_json=True),
        "models": {},
        "cases": [],
        "errors": {},
    }
    for name, version in plan["models"]:
        if proto == "http":
            meta = client.get_model_metadata(name, version or "")
        else:
            meta = client.get_model_metadata(name, version or "", as_json=True)
        out["models"][f"{name}@{version or ''}"] = {"ready": client.is_model_ready(name, version or ""), "metadata": meta}
    for case in plan["cases"]:
        x = np.array(case["rows"], dtype=np.float64 if case.get("datatype", "FP64") == "FP64" else np.float32)
        inp = mod.InferInput("input", list(x.shape), case.get("datatype", "FP64"))
        if proto == "http":
            inp.set_data_from_numpy(x, binary_data=False)
            outputs = [mod.InferRequestedOutput(n, binary_data=False) for n in case["outputs"]] if case.get("outputs") else None
        else:
            inp.set_data_from_numpy(x)
            outputs = [mod.InferRequestedOutput(n) for n in case["outputs"]] if case.get("outputs") else None
        r = client.infer(case["model"], [inp], model_version=case.get("version") or "", outputs=outputs, request_id="req-1")
        resp = r.get_response() if proto == "http" else MessageToDict(r.get_response(), preserving_proto_field_name=True)
        names = [o["name"] for o in resp["outputs"]]
        got = {}
        for n in names:
            data, shape = as_list(r.as_numpy(n))
            got[n] = {"data": data, "shape": shape, "datatype": next(o["datatype"] for o in resp["outputs"] if o["name"] == n)}
        out["cases"].append({"model_name": resp["model_name"], "model_version": resp.get("model_version"), "id": resp.get("id"), "outputs": got})

    def infer(model, rows, version="", outputs=None):
        x = np.array(rows, dtype=np.float64)
        inp = mod.InferInput("input", list(x.shape), "FP64")
        if proto == "http":
            inp.set_data_from_numpy(x, binary_data=False)
        else:
            inp.set_data_from_numpy(x)
        outs = [mod.InferRequestedOutput(n, **({"binary_data": False} if proto == "http" else {})) for n in outputs] if outputs else None
        client.infer(model, [inp], model_version=version, outputs=outs)

    e = plan["errors"]
    out["errors"]["unknown_model"] = error_of(lambda: infer("no-such-model", e["rows"]))
    out["errors"]["unknown_version"] = error_of(lambda: infer(e["model"], e["rows"], version="99"))
    out["errors"]["wrong_shape"] = error_of(lambda: infer(e["model"], [row[:-1] for row in e["rows"]]))
    out["errors"]["unknown_output"] = error_of(lambda: infer(e["model"], e["rows"], outputs=["no_such_output"]))
    out["errors"]["metadata_unknown_model"] = error_of(lambda: client.get_model_metadata("no-such-model"))
    return out


def main():
    plan = json.load(sys.stdin)
    http = httpclient.InferenceServerClient(url=plan["http"])
    grpc = grpcclient.InferenceServerClient(url=plan["grpc"])
    result = {"http": run("http", http, httpclient, plan), "grpc": run("grpc", grpc, grpcclient, plan)}
    http.close()
    grpc.close()
    json.dump(result, sys.stdout)


if __name__ == "__main__":
    main()
