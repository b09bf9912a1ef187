//! Arrow helpers: IPC stream bytes in and out, typed column access.
use std::io::Cursor;
use std::sync::Arc;

use arrow_array::builder::{
    BooleanBuilder, Float32Builder, Int32Builder, Int64Builder, ListBuilder, StringBuilder,
};
use arrow_array::{
    Array, ArrayRef, BooleanArray, Int32Array, Int64Array, LargeStringArray, ListArray,
    RecordBatch, StringArray, StructArray,
};
use arrow_ipc::reader::StreamReader;
use arrow_ipc::writer::StreamWriter;
use arrow_schema::{DataType, Field, Schema, SchemaRef};

use crate::{Error, Result};

/// Reads every record batch of an IPC stream.
pub fn read_ipc(bytes: &[u8], stage: &'static str) -> Result<Vec<RecordBatch>> {
    let reader = StreamReader::try_new(Cursor::new(bytes), None)
        .map_err(|source| Error::Ipc { stage, source })?;
    reader
        .map(|b| b.map_err(|source| Error::Ipc { stage, source }))
        .collect()
}

/// Writes batches of one schema as an IPC stream.
pub fn write_ipc(
    schema: &SchemaRef,
    batches: &[RecordBatch],
    stage: &'static str,
) -> Result<Vec<u8>> {
    let err = |source| Error::Ipc { stage, source };
    let mut w = StreamWriter::try_new(Vec::new(), schema).map_err(err)?;
    for b in batches {
        w.write(b).map_err(err)?;
    }
    w.finish().map_err(err)?;
    w.into_inner().map_err(err)
}

/// Builds a batch, mapping arrow's error.
pub fn make_batch(
    schema: &SchemaRef,
    cols: Vec<ArrayRef>,
    stage: &'static str,
) -> Result<RecordBatch> {
    RecordBatch::try_new(Arc::clone(schema), cols).map_err(|source| Error::Ipc { stage, source })
}

/// A schema from `(name, type, nullable)` triples.
pub fn schema(fields: &[(&str, DataType, bool)]) -> SchemaRef {
    Arc::new(Schema::new(
        fields
            .iter()
            .map(|(n, t, null)| Field::new(*n, t.clone(), *null))
            .collect::<Vec<_>>(),
    ))
}

/// `List<item>` with a nullable item field named `item`.
pub fn list_of(item: DataType) -> DataType {
    DataType::List(Arc::new(Field::new("item", item, true)))
}

fn column<'a>(b: &'a RecordBatch, name: &str) -> Result<&'a ArrayRef> {
    b.column_by_name(name).ok_or_else(|| Error::Column {
        name: name.to_string(),
        reason: "missing".into(),
    })
}

fn wrong(name: &str, want: &str, got: &DataType) -> Error {
    Error::Column {
        name: name.to_string(),
        reason: format!("expected {want}, found {got}"),
    }
}

/// A string column (Utf8 or LargeUtf8), read as optional `&str`s.
pub struct Strings<'a>(StrCol<'a>);

enum StrCol<'a> {
    Small(&'a StringArray),
    Large(&'a LargeStringArray),
}

impl<'a> Strings<'a> {
    /// The column `name` of `b`.
    pub fn of(b: &'a RecordBatch, name: &str) -> Result<Self> {
        let c = column(b, name)?;
        if let Some(a) = c.as_any().downcast_ref::<StringArray>() {
            return Ok(Strings(StrCol::Small(a)));
        }
        if let Some(a) = c.as_any().downcast_ref::<LargeStringArray>() {
            return Ok(Strings(StrCol::Large(a)));
        }
        Err(wrong(name, "string", c.data_type()))
    }

    /// Row `i`; `None` when null.
    pub fn get(&self, i: usize) -> Option<&'a str> {
        match &self.0 {
            StrCol::Small(a) => (!a.is_null(i)).then(|| a.value(i)),
            StrCol::Large(a) => (!a.is_null(i)).then(|| a.value(i)),
        }
    }

    /// Row `i`, the empty string when null.
    pub fn str(&self, i: usize) -> &'a str {
        self.get(i).unwrap_or("")
    }
}

/// The `i64` column `name`.
pub fn i64s<'a>(b: &'a RecordBatch, name: &str) -> Result<&'a Int64Array> {
    let c = column(b, name)?;
    c.as_any()
        .downcast_ref::<Int64Array>()
        .ok_or_else(|| wrong(name, "int64", c.data_type()))
}

/// The `bool` column `name`.
pub fn bools<'a>(b: &'a RecordBatch, name: &str) -> Result<&'a BooleanArray> {
    let c = column(b, name)?;
    c.as_any()
        .downcast_ref::<BooleanArray>()
        .ok_or_else(|| wrong(name, "bool", c.data_type()))
}

/// The list column `name`.
pub fn lists<'a>(b: &'a RecordBatch, name: &str) -> Result<&'a ListArray> {
    let c = column(b, name)?;
    c.as_any()
        .downcast_ref::<ListArray>()
        .ok_or_else(|| wrong(name, "list", c.data_type()))
}

/// Row `i` of a `List<Int64>` column (empty when null).
pub fn list_i64(l: &ListArray, name: &str, i: usize) -> Result<Vec<i64>> {
    if l.is_null(i) {
        return Ok(Vec::new());
    }
    let v = l.value(i);
    let a = v
        .as_any()
        .downcast_ref::<Int64Array>()
        .ok_or_else(|| wrong(name, "list<int64>", l.data_type()))?;
    Ok(a.iter().flatten().collect())
}

/// Row `i` of a `List<Utf8>` column (empty when null).
pub fn list_str(l: &ListArray, name: &str, i: usize) -> Result<Vec<String>> {
    if l.is_null(i) {
        return Ok(Vec::new());
    }
    let v = l.value(i);
    if let Some(a) = v.as_any().downcast_ref::<StringArray>() {
        return Ok(a.iter().flatten().map(str::to_string).collect());
    }
    if let Some(a) = v.as_any().downcast_ref::<LargeStringArray>() {
        return Ok(a.iter().flatten().map(str::to_string).collect());
    }
    Err(wrong(name, "list<string>", l.data_type()))
}

/// Row `i` of a `List<Struct<...>>` column as the struct array of its items.
pub fn list_struct(l: &ListArray, name: &str, i: usize) -> Result<Option<StructArray>> {
    if l.is_null(i) {
        return Ok(None);
    }
    let v = l.value(i);
    let s = v
        .as_any()
        .downcast_ref::<StructArray>()
        .ok_or_else(|| wrong(name, "list<struct>", l.data_type()))?;
    Ok(Some(s.clone()))
}

/// Field `k` of a struct array as `i64`s (an `Int32` field is widened).
pub fn struct_ints(s: &StructArray, name: &str, k: usize) -> Result<Vec<i64>> {
    let c = s.column(k);
    if let Some(a) = c.as_any().downcast_ref::<Int64Array>() {
        return Ok(a.iter().map(|x| x.unwrap_or(0)).collect());
    }
    if let Some(a) = c.as_any().downcast_ref::<Int32Array>() {
        return Ok(a.iter().map(|x| i64::from(x.unwrap_or(0))).collect());
    }
    Err(wrong(name, "struct of integers", c.data_type()))
}

/// Column builders for the output batches.
pub struct Builders;

impl Builders {
    /// Strings.
    pub fn strings() -> StringBuilder {
        StringBuilder::new()
    }
    /// `i64`s.
    pub fn i64s() -> Int64Builder {
        Int64Builder::new()
    }
    /// `f32`s.
    pub fn f32s() -> Float32Builder {
        Float32Builder::new()
    }
    /// Booleans.
    pub fn bools() -> BooleanBuilder {
        BooleanBuilder::new()
    }
    /// `List<Int64>`.
    pub fn i64_lists() -> ListBuilder<Int64Builder> {
        ListBuilder::new(Int64Builder::new())
    }
    /// `List<Int32>`.
    pub fn i32_lists() -> ListBuilder<Int32Builder> {
        ListBuilder::new(Int32Builder::new())
    }
    /// `List<Utf8>`.
    pub fn str_lists() -> ListBuilder<StringBuilder> {
        ListBuilder::new(StringBuilder::new())
    }
}
