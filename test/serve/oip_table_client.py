"""Triton's Python client (tritonclient[http] and [grpc]) calling a table model of a running `modelc serve`:
one input tensor per column (BYTES as np.object_ arrays of str, FP64 as float64), as the model's metadata lists them.

Reads a plan from stdin, {"http": "host:port", "grpc": "host:port", "model": name, "columns": {name: [values]},
"errors": {...}}, and prints what the clients saw as JSON: the metadata, each output (BYTES decoded as UTF-8) and the
errors the clients raised (status and message). test/serve/table.test.ts compares it with the fixture.
"""

import json
import sys

import numpy as np
import tritonclient.grpc as grpcclient
import tritonclient.http as httpclient
from tritonclient.utils import InferenceServerException


def as_list(a):
    if a.dtype == np.object_:
        return [x.decode("utf-8") if isinstance(x, bytes) else x for x in a.reshape(-1).tolist()], list(a.shape)
    return a.reshape(-1).tolist(), list(a.shape)


def tensors(mod, proto, metadata, columns, datatypes=None):
    out = []
    for t in metadata["inputs"]:
        name = t["name"]
        if name not in columns:
            continue
        datatype = (datatypes or {}).get(name, t["datatype"])
        values = columns[name]
        x = np.array(values, dtype=np.object_ if datatype == "BYTES" else np.float64)
        inp = mod.InferInput(name, [len(values)], datatype)
        if proto == "http":
            inp.set_data_from_numpy(x, binary_data=False)
        else:
            inp.set_data_from_numpy(x)
        out.append(inp)
    return out


def error_of(fn):
    try:
        fn()
    except InferenceServerException as e:
        return {"status": str(e.status()), "message": e.message()}
    return None


def run(proto, client, mod, plan):
    model = plan["model"]
    meta = client.get_model_metadata(model) if proto == "http" else client.get_model_metadata(model, as_json=True)
    inputs = tensors(mod, proto, meta, plan["columns"])
    outs = [mod.InferRequestedOutput(n, **({"binary_data": False} if proto == "http" else {})) for n in ["predict", "predict_proba"]]
    r = client.infer(model, inputs, outputs=outs)
    got = {}
    for n in ["predict", "predict_proba"]:
        data, shape = as_list(r.as_numpy(n))
        got[n] = {"data": data, "shape": shape}
    e = plan["errors"]
    errors = {
        "missing": error_of(lambda: client.infer(model, tensors(mod, proto, meta, e["missing"]))),
        "mismatched": error_of(lambda: client.infer(model, tensors(mod, proto, meta, e["mismatched"]))),
        "wrong_datatype": error_of(lambda: client.infer(model, tensors(mod, proto, meta, plan["columns"], {e["as_bytes"]: "BYTES"}))),
    }
    return {"metadata": meta, "outputs": got, "errors": errors}


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
