"""
Writes managed-cluster-keys.json: for every property of an AKS managed cluster, its REST path (ARM GET
body) and the key the Azure CLI prints for it. The CLI prints the SDK model with knack's to_camel_case
applied to each Python attribute name (microsoft/knack knack/util.py: `(?!^)_([a-zA-Z])` -> upper case),
and the SDK flattens `properties` into the resource. Run with the wheels from PyPI (pip download):

  pip download --no-deps azure-mgmt-containerservice==41.6.0 azure-mgmt-containerservice==6.0.0
  python3 sdk-keys.py azure_mgmt_containerservice-41.6.0-py3-none-any.whl \
      azure_mgmt_containerservice-6.0.0-py2.py3-none-any.whl > managed-cluster-keys.json

41.6.0 is the version azure-cli 2.91.0 requires (azure-mgmt-containerservice~=41.6.0); 6.0.0 is the last
with the 2019 top-level `apiServerAuthorizedIPRanges`, which the targets still read (legacy).
"""
import ast, json, re, sys, zipfile

camel = lambda s: re.sub(r"(?!^)_([a-zA-Z])", lambda m: m.group(1).upper(), s)

def typespec(source):
    """REST path -> CLI key, from a TypeSpec-generated model module (rest_field, __flattened_items)."""
    classes = {}
    for node in ast.parse(source).body:
        if not isinstance(node, ast.ClassDef):
            continue
        fields, flattened = {}, []
        for st in node.body:
            if isinstance(st, ast.AnnAssign) and isinstance(st.value, ast.Call) and getattr(st.value.func, "id", "") == "rest_field":
                name = next((k.value.value for k in st.value.keywords if k.arg == "name"), st.target.id)
                ann = ast.unparse(st.annotation)
                model = re.findall(r"_models\.(\w+)", ann)
                fields[st.target.id] = (name, model[0] if model else None, "list[" in ann.lower())
            if isinstance(st, ast.Assign) and st.targets[0].id.endswith("__flattened_items"):
                flattened = ast.literal_eval(st.value)
        classes[node.name] = (fields, flattened, [ast.unparse(b) for b in node.bases])

    def all_fields(cls):
        fields, flattened, bases = classes.get(cls, ({}, [], []))
        out, flat = {}, list(flattened)
        for b in bases:
            f, fl = all_fields(b)
            out.update(f)
            flat += fl
        out.update(fields)
        return out, flat

    keys = {}

    def emit(rest, cli, model, is_list, depth):
        keys[".".join(rest)] = ".".join(cli)
        if model in classes and depth < 6:
            suffix = "[]" if is_list else ""
            walk(model, rest[:-1] + [rest[-1] + suffix], cli[:-1] + [cli[-1] + suffix], depth + 1)

    def walk(cls, rest, cli, depth=0):
        fields, flattened = all_fields(cls)
        for attr, (name, model, is_list) in fields.items():
            if flattened and attr == "properties" and model:
                for pattr, (pname, pmodel, plist) in all_fields(model)[0].items():
                    emit(rest + ["properties", pname], cli + [camel(pattr)], pmodel, plist, depth)
            else:
                emit(rest + [name], cli + [camel(attr)], model, is_list, depth)

    walk("ManagedCluster", [], [])
    return keys

def msrest(source, cls):
    """REST path -> CLI key for the top-level attributes of an msrest model (`_attribute_map`)."""
    for node in ast.parse(source).body:
        if isinstance(node, ast.ClassDef) and node.name == cls:
            for st in node.body:
                if isinstance(st, ast.Assign) and st.targets[0].id == "_attribute_map":
                    return {spec["key"]: camel(attr) for attr, spec in ast.literal_eval(st.value).items()}
    return {}

current = typespec(zipfile.ZipFile(sys.argv[1]).read("azure/mgmt/containerservice/models/_models.py").decode())
legacy_source = zipfile.ZipFile(sys.argv[2]).read("azure/mgmt/containerservice/v2019_06_01/models/_models_py3.py").decode()
legacy = {k: v for k, v in msrest(legacy_source, "ManagedCluster").items() if k not in current}
json.dump(
    {
        "resourceType": "Microsoft.ContainerService/managedClusters",
        "source": "azure-mgmt-containerservice 41.6.0 (MIT), models/_models.py; legacy: 6.0.0 v2019_06_01/models/_models_py3.py; keys by knack to_camel_case",
        "keys": current,
        "legacy": legacy,
    },
    sys.stdout,
    indent=1,
    sort_keys=True,
)
print()
