#!/usr/bin/python3
"""Checks scenario files against scenarios/schema.json with an independent JSON Schema
validator: every shipped scenario must pass, and broken files that a schema can judge must fail.
Together with the C++ test that the schema is the loader's own, this keeps the two in step."""
import datetime
import glob
import json
import os
import sys

import jsonschema
import yaml

source = sys.argv[1]


def load(path):
    with open(path, encoding="utf-8") as f:
        return yaml.safe_load(f)


def plain(value):
    """YAML dates become ISO strings, as the loader reads them."""
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [plain(v) for v in value]
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value


with open(os.path.join(source, "scenarios/schema.json"), encoding="utf-8") as f:
    scenario_schema = json.load(f)
with open(os.path.join(source, "scenarios/data/districts.schema.json"), encoding="utf-8") as f:
    data_schema = json.load(f)
with open(os.path.join(source, "scenarios/sweep.schema.json"), encoding="utf-8") as f:
    sweep_schema = json.load(f)
jsonschema.Draft202012Validator.check_schema(sweep_schema)
sweep_validator = jsonschema.Draft202012Validator(sweep_schema)
jsonschema.Draft202012Validator.check_schema(scenario_schema)
jsonschema.Draft202012Validator.check_schema(data_schema)
scenario_validator = jsonschema.Draft202012Validator(scenario_schema)
data_validator = jsonschema.Draft202012Validator(data_schema)

checked = 0
# District data files end in districts.yaml, sweep files start with sweep- or live in
# scenarios/sweeps/; the other YAML files are scenarios.
sweeps = sorted(glob.glob(os.path.join(source, "scenarios/sweeps/*.yaml")) +
                glob.glob(os.path.join(source, "scenarios/calibration/screening-*.yaml")) +
                glob.glob(os.path.join(source, "tests/data/good/sweep-*.yaml")))
# Calibration files: scenarios/calibration/ (but its screening sweeps) and calibration-*.yaml.
with open(os.path.join(source, "scenarios/calibration.schema.json"), encoding="utf-8") as f:
    calibration_schema = json.load(f)
jsonschema.Draft202012Validator.check_schema(calibration_schema)
calibration_validator = jsonschema.Draft202012Validator(calibration_schema)
calibrations = sorted(p for p in glob.glob(os.path.join(source, "scenarios/calibration/*.yaml")) +
                      glob.glob(os.path.join(source, "tests/data/good/calibration-*.yaml"))
                      if p not in sweeps)
assert calibrations, "no calibration files found"
for path in calibrations:
    errors = list(calibration_validator.iter_errors(plain(load(path))))
    assert not errors, f"{path}: {errors[0].message}"
for path in sweeps:
    errors = list(sweep_validator.iter_errors(plain(load(path))))
    assert not errors, f"{path}: {errors[0].message}"
    checked += 1
for path in sorted(p for p in glob.glob(os.path.join(source, "scenarios/*.yaml")) +
                   glob.glob(os.path.join(source, "tests/data/good/*.yaml"))
                   if not p.endswith("districts.yaml") and p not in sweeps
                   and p not in calibrations):
    errors = list(scenario_validator.iter_errors(plain(load(path))))
    assert not errors, f"{path}: {errors[0].message}"
    checked += 1
for path in sorted(glob.glob(os.path.join(source, "scenarios/data/*/districts.yaml")) +
                   glob.glob(os.path.join(source, "tests/data/good/*districts.yaml"))):
    errors = list(data_validator.iter_errors(plain(load(path))))
    assert not errors, f"{path}: {errors[0].message}"
    checked += 1

# Broken files whose fault is visible to a schema (types, ranges, unknown keys) must fail it.
schema_visible = ["unknown-key-suggestion", "unknown-nested-key", "integer-as-word",
                  "integer-as-fraction", "integer-below-range", "probability-above-one",
                  "section-not-a-map", "quoted-number", "scale-too-small", "step-days-zero",
                  "arm-set-is-a-list", "date-wrong-format", "report-language",
                  "arm-label-without-english", "arm-label-a-list", "arm-label-too-long",
                  "arm-description-other-language", "measure-label-a-map-of-maps"]
for name in schema_visible:
    document = plain(load(os.path.join(source, "tests/data/bad", name + ".yaml")))
    assert list(scenario_validator.iter_errors(document)), f"{name}.yaml passed the JSON Schema"
checked += len(calibrations)
print(f"{checked} files match the JSON Schemas; {len(schema_visible)} broken files fail them")
