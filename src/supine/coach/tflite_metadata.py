"""The TFLite metadata MediaPipe's pose landmarker needs, written into a model file.

The pose models in the `@mediapipe/pose` package carry the weights of Google's
`pose_landmarker_*.task` files but not the metadata that the MediaPipe Tasks runtime
reads: how to normalise the input image and what the outputs are called. Without it the
runtime refuses the model ("requires specifying NormalizationOptions metadata").

This module writes that metadata (the `M001` flatbuffer of TFLite's metadata schema) and
adds it to a model (a `TFL3` flatbuffer) as a buffer named `TFLITE_METADATA`, which is
what tflite-support's MetadataPopulator does. It needs only the `flatbuffers` package:
tflite-support itself is 170 MB, has wheels only up to Python 3.11, and its native parts
need libusb, too much for a step that runs on every install. The content mirrors Google's
official `.task` files field for field.

Pure functions: bytes in, bytes out.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass

import flatbuffers

# metadata_schema.fbs: union ContentProperties, union ProcessUnitOptions, ColorSpaceType.
_FEATURE_PROPERTIES = 1
_IMAGE_PROPERTIES = 2
_NORMALIZATION_OPTIONS = 1
_RGB = 1


@dataclass(frozen=True)
class Output:
    name: str
    description: str


@dataclass(frozen=True)
class ModelInfo:
    name: str
    description: str
    input_description: str
    mean: float
    std: float
    input_min: float
    input_max: float
    outputs: tuple[Output, ...]


POSE_DETECTOR = ModelInfo(
    name="Pose Detection",
    description="Detects human poses",
    input_description="Input image to be detected",
    mean=127.5,
    std=127.5,
    input_min=-1.0,
    input_max=1.0,
    outputs=(
        Output("raw boxes/keypoints", "Undecoded face bboxes location and keypoints"),
        Output("scores", "Scores of the detected bboxes."),
    ),
)

POSE_LANDMARKS = ModelInfo(
    name="Pose Landmark",
    description="Detects human pose landmarks with frontal camera.",
    input_description="Input image to be landmarked",
    mean=0.0,
    std=255.0,
    input_min=0.0,
    input_max=1.0,
    outputs=(
        Output("landmarks", "Pose landmarks"),
        Output("presence", "Presence of pose."),
        Output("segmentation_mask", "Segmentation mask for pose."),
        Output("heat_map", "Heat map for pose."),
        Output("world_landmarks", "World landmarks for pose."),
    ),
)


def metadata_buffer(info: ModelInfo) -> bytes:
    """The ModelMetadata flatbuffer (file identifier M001) for one model."""
    b = flatbuffers.Builder(1024)

    def string(text: str) -> int:
        return b.CreateString(text)

    def floats(values: list[float]) -> int:
        b.StartVector(4, len(values), 4)
        for value in reversed(values):
            b.PrependFloat32(value)
        return b.EndVector()

    def offsets(items: list[int]) -> int:
        b.StartVector(4, len(items), 4)
        for item in reversed(items):
            b.PrependUOffsetTRelative(item)
        return b.EndVector()

    def table(slots: list[tuple[str, int, int]]) -> int:
        # slots: (kind, slot number, value); kind "o" an offset, "b" a ubyte.
        b.StartObject(max((slot for _, slot, _ in slots), default=-1) + 1)
        for kind, slot, value in slots:
            if kind == "o":
                b.PrependUOffsetTRelativeSlot(slot, value, 0)
            else:
                b.PrependUint8Slot(slot, value, 0)
        return b.EndObject()

    def stats(low: float | None = None, high: float | None = None) -> int:
        if low is None or high is None:
            return table([])
        high_vec, low_vec = floats([high]), floats([low])
        return table([("o", 0, high_vec), ("o", 1, low_vec)])  # Stats: max, min

    def tensor(name, description, content, process_units, tensor_stats) -> int:
        name_s, description_s = string(name), string(description)
        slots = [("o", 0, name_s), ("o", 1, description_s), ("o", 3, content)]
        if process_units is not None:
            slots.append(("o", 4, process_units))
        slots.append(("o", 5, tensor_stats))
        return table(slots)

    # The input: an RGB image, normalised as (value - mean) / std.
    image_properties = table([("b", 0, _RGB)])  # ImageProperties.color_space
    input_content = table([("b", 0, _IMAGE_PROPERTIES), ("o", 1, image_properties)])
    mean, std = floats([info.mean]), floats([info.std])
    normalization = table([("o", 0, mean), ("o", 1, std)])
    unit = table([("b", 0, _NORMALIZATION_OPTIONS), ("o", 1, normalization)])
    units = offsets([unit])
    input_stats = stats(info.input_min, info.input_max)
    inputs = offsets([tensor("image", info.input_description, input_content, units, input_stats)])
    outputs = []
    for output in info.outputs:
        features = table([])
        content = table([("b", 0, _FEATURE_PROPERTIES), ("o", 1, features)])
        outputs.append(tensor(output.name, output.description, content, None, stats()))
    output_vec = offsets(outputs)
    subgraph = table([("o", 2, inputs), ("o", 3, output_vec)])
    subgraphs = offsets([subgraph])
    name, description, version = string(info.name), string(info.description), string("1")
    author, parser = string("MediaPipe"), string("1.0.0")
    root = table(
        [
            ("o", 0, name),
            ("o", 1, description),
            ("o", 2, version),
            ("o", 3, subgraphs),
            ("o", 4, author),
            ("o", 7, parser),  # min_parser_version
        ]
    )
    b.Finish(root, file_identifier=b"M001")
    return bytes(b.Output())


# schema.fbs, table Model: version, operator_codes, subgraphs, description, buffers,
# metadata_buffer, metadata, signature_defs. Only the first is a scalar.
_MODEL_FIELDS = 8
_BUFFERS, _METADATA = 4, 6


class ModelFormatError(ValueError):
    pass


def _u32(data: bytes | bytearray, at: int) -> int:
    return struct.unpack_from("<I", data, at)[0]


def _model_fields(model: bytes) -> tuple[int, list[int | None]]:
    """The Model table's position and each field's absolute position (None: absent)."""
    if model[4:8] != b"TFL3":
        raise ModelFormatError("not a TFLite model (no TFL3 identifier)")
    table = _u32(model, 0)
    vtable = table - struct.unpack_from("<i", model, table)[0]
    vtable_size = struct.unpack_from("<H", model, vtable)[0]
    fields: list[int | None] = []
    for index in range(_MODEL_FIELDS):
        entry = 4 + 2 * index
        offset = struct.unpack_from("<H", model, vtable + entry)[0] if entry < vtable_size else 0
        fields.append(table + offset if offset else None)
    return table, fields


def _vector_targets(model: bytes, field: int | None) -> list[int]:
    """Absolute positions of the tables a vector-of-tables field points to."""
    if field is None:
        return []
    vector = field + _u32(model, field)
    count = _u32(model, vector)
    return [vector + 4 + 4 * i + _u32(model, vector + 4 + 4 * i) for i in range(count)]


def metadata_names(model: bytes) -> dict[str, bytes]:
    """The model's `metadata` entries: name → the bytes of the buffer it names."""
    _, fields = _model_fields(model)
    buffers = _vector_targets(model, fields[_BUFFERS])
    found = {}
    for entry in _vector_targets(model, fields[_METADATA]):
        vtable = entry - struct.unpack_from("<i", model, entry)[0]
        name_at = entry + struct.unpack_from("<H", model, vtable + 4)[0]
        buffer_at = entry + struct.unpack_from("<H", model, vtable + 6)[0]
        name_pos = name_at + _u32(model, name_at)
        name = model[name_pos + 4 : name_pos + 4 + _u32(model, name_pos)].decode()
        buffer = buffers[_u32(model, buffer_at)]
        vtable = buffer - struct.unpack_from("<i", model, buffer)[0]
        vtable_size = struct.unpack_from("<H", model, vtable)[0]
        data_offset = struct.unpack_from("<H", model, vtable + 4)[0] if vtable_size > 4 else 0
        if not data_offset:
            found[name] = b""
            continue
        data_at = buffer + data_offset
        data_pos = data_at + _u32(model, data_at)
        found[name] = bytes(model[data_pos + 4 : data_pos + 4 + _u32(model, data_pos)])
    return found


def _align(out: bytearray, alignment: int, before: int = 0) -> None:
    """Pad so that `before` bytes from now the position is a multiple of `alignment`."""
    while (len(out) + before) % alignment:
        out.append(0)


def with_metadata(model: bytes, metadata: bytes) -> bytes:
    """The model with `metadata` added as its TFLITE_METADATA buffer.

    The original flatbuffer is kept whole, moved up by a multiple of 16 bytes (its
    offsets are relative, so they stay right, and its 16-byte aligned weights stay
    aligned). In front of it go a new Model table, a copy of every field of the old one,
    whose `buffers` and `metadata` vectors list the old entries and one new entry each.
    Flatbuffer offsets point forward, so everything new comes first.
    """
    if "TFLITE_METADATA" in metadata_names(model):
        raise ModelFormatError("the model already has TFLITE_METADATA")
    old_table, fields = _model_fields(model)
    old_buffers = _vector_targets(model, fields[_BUFFERS])
    old_metadata = _vector_targets(model, fields[_METADATA])

    out = bytearray(8)  # root offset, then the file identifier
    out[4:8] = b"TFL3"
    # The Model's vtable: every field the old model had, at fixed slots of the new table.
    present = [i for i, at in enumerate(fields) if at is not None or i in (_BUFFERS, _METADATA)]
    slot_of = {field: 4 + 4 * n for n, field in enumerate(present)}
    table_size = 4 + 4 * len(present)
    vtable_at = len(out)
    out += struct.pack("<HH", 4 + 2 * _MODEL_FIELDS, table_size)
    for index in range(_MODEL_FIELDS):
        out += struct.pack("<H", slot_of.get(index, 0))
    _align(out, 4)
    table_at = len(out)
    struct.pack_into("<I", out, 0, table_at)
    out += struct.pack("<i", table_at - vtable_at)
    out += bytes(table_size - 4)  # the fields, filled in below

    # Positions of what the new model points to; the old model's are known once its
    # shift is, so the new parts are laid out first with placeholders.
    pointers: list[tuple[int, str, int]] = []  # (where, "old" or "new", target)

    def pointer_to(kind: str, target: int) -> None:
        pointers.append((len(out), kind, target))
        out.extend(bytes(4))

    buffers_at = len(out)
    out += struct.pack("<I", len(old_buffers) + 1)
    for target in old_buffers:
        pointer_to("old", target)
    new_buffer_slot = len(out)
    out += bytes(4)
    metadata_at = len(out)
    out += struct.pack("<I", len(old_metadata) + 1)
    for target in old_metadata:
        pointer_to("old", target)
    new_metadata_slot = len(out)
    out += bytes(4)

    # Metadata { name: string; buffer: uint; }
    entry_vtable = len(out)
    out += struct.pack("<HHHH", 8, 12, 4, 8)
    entry_at = len(out)
    out += struct.pack("<i", entry_at - entry_vtable)
    entry_name_slot = len(out)
    out += bytes(4)
    out += struct.pack("<I", len(old_buffers))  # the index of the new buffer
    # Buffer { data: [ubyte] (force_align: 16); }
    buffer_vtable = len(out)
    out += struct.pack("<HHH", 6, 8, 4)
    _align(out, 4)
    buffer_at = len(out)
    out += struct.pack("<i", buffer_at - buffer_vtable)
    buffer_data_slot = len(out)
    out += bytes(4)
    name_at = len(out)
    name = b"TFLITE_METADATA"
    out += struct.pack("<I", len(name)) + name + b"\0"
    _align(out, 16, before=4)
    data_at = len(out)
    out += struct.pack("<I", len(metadata)) + metadata
    _align(out, 16)
    shift = len(out)

    def relative(where: int, target: int) -> None:
        struct.pack_into("<I", out, where, target - where)

    relative(new_buffer_slot, buffer_at)
    relative(new_metadata_slot, entry_at)
    relative(entry_name_slot, name_at)
    relative(buffer_data_slot, data_at)
    for where, _, target in pointers:
        relative(where, shift + target)
    for index in present:
        where = table_at + slot_of[index]
        if index == _BUFFERS:
            relative(where, buffers_at)
        elif index == _METADATA:
            relative(where, metadata_at)
        elif index == 0:  # version, a uint32 scalar
            out[where : where + 4] = model[fields[0] : fields[0] + 4]
        else:
            at = fields[index]
            relative(where, shift + at + _u32(model, at))
    del old_table
    return bytes(out) + model


def model_buffers(model: bytes) -> list[bytes]:
    """The data of every buffer of a TFLite model (weights, constants, metadata), in order."""
    _, fields = _model_fields(model)
    found = []
    for buffer in _vector_targets(model, fields[_BUFFERS]):
        vtable = buffer - struct.unpack_from("<i", model, buffer)[0]
        vtable_size = struct.unpack_from("<H", model, vtable)[0]
        data_offset = struct.unpack_from("<H", model, vtable + 4)[0] if vtable_size > 4 else 0
        if not data_offset:
            found.append(b"")
            continue
        data_pos = buffer + data_offset + _u32(model, buffer + data_offset)
        found.append(bytes(model[data_pos + 4 : data_pos + 4 + _u32(model, data_pos)]))
    return found


def read_metadata(data: bytes) -> dict:
    """What a ModelMetadata flatbuffer says, for the fields written above (as plain data)."""
    from flatbuffers.table import Table

    if data[4:8] != b"M001":
        raise ModelFormatError("not TFLite metadata (no M001 identifier)")

    def table_at(pos: int) -> Table:
        return Table(data, pos)

    def field(table: Table, slot: int) -> int:
        return table.Offset(4 + 2 * slot)

    def text(table: Table, slot: int) -> str | None:
        offset = field(table, slot)
        return table.String(table.Pos + offset).decode() if offset else None

    def child(table: Table, slot: int) -> Table | None:
        offset = field(table, slot)
        return table_at(table.Indirect(table.Pos + offset)) if offset else None

    def children(table: Table, slot: int) -> list[Table]:
        offset = field(table, slot)
        if not offset:
            return []
        start = table.Vector(offset)
        return [table_at(table.Indirect(start + 4 * i)) for i in range(table.VectorLen(offset))]

    def floats(table: Table | None, slot: int) -> list[float] | None:
        offset = field(table, slot) if table else 0
        if not offset:
            return None
        start = table.Vector(offset)
        return [
            struct.unpack_from("<f", data, start + 4 * i)[0] for i in range(table.VectorLen(offset))
        ]

    def byte(table: Table, slot: int) -> int:
        offset = field(table, slot)
        return data[table.Pos + offset] if offset else 0

    def tensor(table: Table) -> dict:
        content = child(table, 3)
        properties = child(content, 1) if content else None
        kind = byte(content, 0) if content else 0
        units = []
        for unit in children(table, 4):
            options = child(unit, 1)
            units.append(
                {"type": byte(unit, 0), "mean": floats(options, 0), "std": floats(options, 1)}
            )
        stats = child(table, 5)
        return {
            "name": text(table, 0),
            "description": text(table, 1),
            "content_type": kind,
            "color_space": byte(properties, 0) if kind == _IMAGE_PROPERTIES else None,
            "process_units": units,
            "max": floats(stats, 0),
            "min": floats(stats, 1),
        }

    root = table_at(_u32(data, 0))
    return {
        "name": text(root, 0),
        "description": text(root, 1),
        "version": text(root, 2),
        "author": text(root, 4),
        "min_parser_version": text(root, 7),
        "subgraphs": [
            {
                "inputs": [tensor(t) for t in children(subgraph, 2)],
                "outputs": [tensor(t) for t in children(subgraph, 3)],
            }
            for subgraph in children(root, 3)
        ],
    }
