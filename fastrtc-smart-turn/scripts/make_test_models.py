#!/usr/bin/env python3
"""Writes the small ONNX models the tests run through ONNX Runtime, without the onnx package.

The protobuf wire format is encoded by hand from onnx.proto's field numbers (ModelProto, GraphProto,
NodeProto, AttributeProto, ValueInfoProto, TypeProto, TensorShapeProto). Run from the module directory:

    python3 scripts/make_test_models.py src/test/resources/io/fastrtc/turn/smartturn

tiny-smart-turn.onnx has Smart Turn v3's signature, input "input_features" float32
[batch_size, 80, 800] and output "logits" float32 [batch_size, 1], and computes
sigmoid(mean of all 64,000 features): a probability that follows the input, as the real model's does.
wrong-mel-count.onnx is the same graph over [batch_size, 128, 800] (Whisper large-v3's 128 mel bins):
a file the loader must refuse.
"""
import os
import sys

FLOAT = 1  # TensorProto.DataType.FLOAT
ATTR_INT, ATTR_INTS = 2, 7  # AttributeProto.AttributeType


def varint(value):
    out = bytearray()
    while True:
        bits = value & 0x7F
        value >>= 7
        if value:
            out.append(bits | 0x80)
        else:
            out.append(bits)
            return bytes(out)


def key(field, wire_type):
    return varint(field << 3 | wire_type)


def int_field(field, value):
    return key(field, 0) + varint(value)


def bytes_field(field, payload):
    if isinstance(payload, str):
        payload = payload.encode("utf-8")
    return key(field, 2) + varint(len(payload)) + payload


def attribute_int(name, value):
    return bytes_field(1, name) + int_field(20, ATTR_INT) + int_field(3, value)


def attribute_ints(name, values):
    return bytes_field(1, name) + int_field(20, ATTR_INTS) + b"".join(int_field(8, v) for v in values)


def node(op_type, inputs, outputs, name, attributes=()):
    body = b"".join(bytes_field(1, i) for i in inputs)
    body += b"".join(bytes_field(2, o) for o in outputs)
    body += bytes_field(3, name) + bytes_field(4, op_type)
    body += b"".join(bytes_field(5, a) for a in attributes)
    return body


def tensor_value(name, dims):
    """ValueInfoProto of a float tensor; a str dim is symbolic (dim_param), an int fixed (dim_value)."""
    shape = b""
    for d in dims:
        shape += bytes_field(1, bytes_field(2, d) if isinstance(d, str) else int_field(1, d))
    tensor_type = int_field(1, FLOAT) + bytes_field(2, shape)
    return bytes_field(1, name) + bytes_field(2, bytes_field(1, tensor_type))


def model(mels):
    graph = bytes_field(1, node("ReduceMean", ["input_features"], ["mean"], "mean",
                                [attribute_ints("axes", [1, 2]), attribute_int("keepdims", 1)]))
    graph += bytes_field(1, node("Flatten", ["mean"], ["flat"], "flatten", [attribute_int("axis", 1)]))
    graph += bytes_field(1, node("Sigmoid", ["flat"], ["logits"], "sigmoid"))
    graph += bytes_field(2, "smart_turn_signature_test")
    graph += bytes_field(11, tensor_value("input_features", ["batch_size", mels, 800]))
    graph += bytes_field(12, tensor_value("logits", ["batch_size", 1]))
    opset = bytes_field(1, "") + int_field(2, 17)
    return (int_field(1, 8)  # ir_version 8 goes with opset 17
            + bytes_field(2, "fastrtc-smart-turn tests")
            + bytes_field(7, graph)
            + bytes_field(8, opset))


def main(directory):
    for file_name, mels in (("tiny-smart-turn.onnx", 80), ("wrong-mel-count.onnx", 128)):
        with open(os.path.join(directory, file_name), "wb") as out:
            out.write(model(mels))


if __name__ == "__main__":
    main(sys.argv[1])
