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
from flatbuffers.table import Table

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


class _MetadataBuilder:
    """A flatbuffers Builder with the few shapes the metadata schema is made of."""

    def __init__(self) -> None:
        self.builder = flatbuffers.Builder(1024)

    def string(self, text: str) -> int:
        return self.builder.CreateString(text)

    def floats(self, values: list[float]) -> int:
        b = self.builder
        b.StartVector(4, len(values), 4)
        for value in reversed(values):
            b.PrependFloat32(value)
        return b.EndVector()

    def offsets(self, items: list[int]) -> int:
        b = self.builder
        b.StartVector(4, len(items), 4)
        for item in reversed(items):
            b.PrependUOffsetTRelative(item)
        return b.EndVector()

    def table(self, slots: list[tuple[str, int, int]]) -> int:
        """A table from (kind, slot number, value); kind "o" an offset, "b" a ubyte."""
        b = self.builder
        b.StartObject(max((slot for _, slot, _ in slots), default=-1) + 1)
        for kind, slot, value in slots:
            if kind == "o":
                b.PrependUOffsetTRelativeSlot(slot, value, 0)
            else:
                b.PrependUint8Slot(slot, value, 0)
        return b.EndObject()

    def stats(self, low: float | None = None, high: float | None = None) -> int:
        if low is None or high is None:
            return self.table([])
        high_vec, low_vec = self.floats([high]), self.floats([low])
        return self.table([("o", 0, high_vec), ("o", 1, low_vec)])  # Stats: max, min

    def tensor(
        self, name: str, description: str, content: int, process_units: int | None, stats: int
    ) -> int:
        """A TensorMetadata: name, description, content, process_units, stats."""
        name_s, description_s = self.string(name), self.string(description)
        slots = [("o", 0, name_s), ("o", 1, description_s), ("o", 3, content)]
        if process_units is not None:
            slots.append(("o", 4, process_units))
        slots.append(("o", 5, stats))
        return self.table(slots)


def _image_input(m: _MetadataBuilder, info: ModelInfo) -> int:
    """The input tensors: an RGB image, normalised as (value - mean) / std."""
    image_properties = m.table([("b", 0, _RGB)])  # ImageProperties.color_space
    content = m.table([("b", 0, _IMAGE_PROPERTIES), ("o", 1, image_properties)])
    mean, std = m.floats([info.mean]), m.floats([info.std])
    normalization = m.table([("o", 0, mean), ("o", 1, std)])
    unit = m.table([("b", 0, _NORMALIZATION_OPTIONS), ("o", 1, normalization)])
    units = m.offsets([unit])
    stats = m.stats(info.input_min, info.input_max)
    return m.offsets([m.tensor("image", info.input_description, content, units, stats)])


def _feature_outputs(m: _MetadataBuilder, info: ModelInfo) -> int:
    """The output tensors: named features, without normalisation or range."""
    outputs = []
    for output in info.outputs:
        features = m.table([])
        content = m.table([("b", 0, _FEATURE_PROPERTIES), ("o", 1, features)])
        outputs.append(m.tensor(output.name, output.description, content, None, m.stats()))
    return m.offsets(outputs)


def metadata_buffer(info: ModelInfo) -> bytes:
    """The ModelMetadata flatbuffer (file identifier M001) for one model."""
    m = _MetadataBuilder()
    inputs = _image_input(m, info)
    outputs = _feature_outputs(m, info)
    subgraph = m.table([("o", 2, inputs), ("o", 3, outputs)])
    subgraphs = m.offsets([subgraph])
    name, description, version = m.string(info.name), m.string(info.description), m.string("1")
    author, parser = m.string("MediaPipe"), m.string("1.0.0")
    root = m.table(
        [
            ("o", 0, name),
            ("o", 1, description),
            ("o", 2, version),
            ("o", 3, subgraphs),
            ("o", 4, author),
            ("o", 7, parser),  # min_parser_version
        ]
    )
    m.builder.Finish(root, file_identifier=b"M001")
    return bytes(m.builder.Output())


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


def _relative(out: bytearray, where: int, target: int) -> None:
    """Write at `where` the forward offset from there to `target`."""
    struct.pack_into("<I", out, where, target - where)


def _model_table(out: bytearray, fields: list[int | None]) -> tuple[int, dict[int, int]]:
    """Write the new Model table (its vtable, then room for its fields) and point the
    root offset at it: every field the old model had, at fixed slots, and `buffers` and
    `metadata` even if it had none. Returns the table's position and {field: slot}."""
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
    out += bytes(table_size - 4)  # the fields, filled in by _fill_model_table
    return table_at, slot_of


@dataclass(frozen=True)
class _Vector:
    """A new vector of tables: where it starts, the slot left for its new last entry,
    and the slots that point into the old model, as (where, position in the old model)."""

    at: int
    new_slot: int
    old_pointers: list[tuple[int, int]]


def _vector(out: bytearray, old_targets: list[int]) -> _Vector:
    """Write a vector with the old entries and room for one more. The old model's
    positions are known only once its shift is, so those slots are left empty here."""
    at = len(out)
    out += struct.pack("<I", len(old_targets) + 1)
    old_pointers = []
    for target in old_targets:
        old_pointers.append((len(out), target))
        out += bytes(4)
    new_slot = len(out)
    out += bytes(4)
    return _Vector(at, new_slot, old_pointers)


@dataclass(frozen=True)
class _NewEntry:
    """Where the new Metadata entry and its Buffer are, and the offsets inside them still
    to write, as (where, target)."""

    entry_at: int
    buffer_at: int
    links: list[tuple[int, int]]


def _metadata_entry(out: bytearray, metadata: bytes, buffer_index: int) -> _NewEntry:
    """Write the Metadata entry named TFLITE_METADATA, the Buffer it names (number
    `buffer_index` of the new `buffers`), the name and the buffer's 16-byte aligned data."""
    # Metadata { name: string; buffer: uint; }
    entry_vtable = len(out)
    out += struct.pack("<HHHH", 8, 12, 4, 8)
    entry_at = len(out)
    out += struct.pack("<i", entry_at - entry_vtable)
    entry_name_slot = len(out)
    out += bytes(4)
    out += struct.pack("<I", buffer_index)
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
    return _NewEntry(entry_at, buffer_at, [(entry_name_slot, name_at), (buffer_data_slot, data_at)])


def _fill_model_table(
    out: bytearray,
    model: bytes,
    fields: list[int | None],
    table_at: int,
    slot_of: dict[int, int],
    new_vectors: dict[int, int],
    shift: int,
) -> None:
    """Fill the new Model table's fields: `buffers` and `metadata` point to the new
    vectors ({field: position}), the version is copied, and every other field points to
    its value in the old model, which starts `shift` bytes in."""
    for index, slot in slot_of.items():
        where = table_at + slot
        if index in new_vectors:
            _relative(out, where, new_vectors[index])
        elif index == 0:  # version, a uint32 scalar
            version_at = fields[0]
            assert version_at is not None  # present
            out[where : where + 4] = model[version_at : version_at + 4]
        else:
            at = fields[index]
            assert at is not None  # present
            _relative(out, where, shift + at + _u32(model, at))


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
    _, fields = _model_fields(model)
    old_buffers = _vector_targets(model, fields[_BUFFERS])
    old_metadata = _vector_targets(model, fields[_METADATA])

    out = bytearray(8)  # root offset, then the file identifier
    out[4:8] = b"TFL3"
    table_at, slot_of = _model_table(out, fields)
    buffers = _vector(out, old_buffers)
    metadata_vector = _vector(out, old_metadata)
    entry = _metadata_entry(out, metadata, buffer_index=len(old_buffers))
    _align(out, 16)
    shift = len(out)

    _relative(out, buffers.new_slot, entry.buffer_at)
    _relative(out, metadata_vector.new_slot, entry.entry_at)
    for where, target in entry.links:
        _relative(out, where, target)
    for where, target in buffers.old_pointers + metadata_vector.old_pointers:
        _relative(out, where, shift + target)
    new_vectors = {_BUFFERS: buffers.at, _METADATA: metadata_vector.at}
    _fill_model_table(out, model, fields, table_at, slot_of, new_vectors, shift)
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


# Reading a metadata flatbuffer back, for the fields written above.


def _field(table: Table, slot: int) -> int:
    return table.Offset(4 + 2 * slot)


def _text(table: Table, slot: int) -> str | None:
    offset = _field(table, slot)
    return table.String(table.Pos + offset).decode() if offset else None


def _child(table: Table, slot: int) -> Table | None:
    offset = _field(table, slot)
    return Table(table.Bytes, table.Indirect(table.Pos + offset)) if offset else None


def _children(table: Table, slot: int) -> list[Table]:
    offset = _field(table, slot)
    if not offset:
        return []
    start = table.Vector(offset)
    return [
        Table(table.Bytes, table.Indirect(start + 4 * i)) for i in range(table.VectorLen(offset))
    ]


def _floats(table: Table | None, slot: int) -> list[float] | None:
    offset = _field(table, slot) if table is not None else 0
    if table is None or not offset:
        return None
    start = table.Vector(offset)
    return [
        struct.unpack_from("<f", table.Bytes, start + 4 * i)[0]
        for i in range(table.VectorLen(offset))
    ]


def _byte(table: Table | None, slot: int) -> int:
    offset = _field(table, slot) if table is not None else 0
    return table.Bytes[table.Pos + offset] if table is not None and offset else 0


def _tensor(table: Table) -> dict:
    """A TensorMetadata as plain data."""
    content = _child(table, 3)
    properties = _child(content, 1) if content else None
    kind = _byte(content, 0)
    units = []
    for unit in _children(table, 4):
        options = _child(unit, 1)
        units.append(
            {"type": _byte(unit, 0), "mean": _floats(options, 0), "std": _floats(options, 1)}
        )
    stats = _child(table, 5)
    return {
        "name": _text(table, 0),
        "description": _text(table, 1),
        "content_type": kind,
        "color_space": _byte(properties, 0) if kind == _IMAGE_PROPERTIES else None,
        "process_units": units,
        "max": _floats(stats, 0),
        "min": _floats(stats, 1),
    }


def read_metadata(data: bytes) -> dict:
    """What a ModelMetadata flatbuffer says, for the fields written above (as plain data)."""
    if data[4:8] != b"M001":
        raise ModelFormatError("not TFLite metadata (no M001 identifier)")
    root = Table(data, _u32(data, 0))
    return {
        "name": _text(root, 0),
        "description": _text(root, 1),
        "version": _text(root, 2),
        "author": _text(root, 4),
        "min_parser_version": _text(root, 7),
        "subgraphs": [
            {
                "inputs": [_tensor(t) for t in _children(subgraph, 2)],
                "outputs": [_tensor(t) for t in _children(subgraph, 3)],
            }
            for subgraph in _children(root, 3)
        ],
    }
