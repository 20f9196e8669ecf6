//! The typed ids as SQL values: 16-byte blobs, as they always were.

use rusqlite::types::{FromSql, FromSqlError, FromSqlResult, ToSql, ToSqlOutput, ValueRef};

use crate::model::{DeviceId, KeyFingerprint, LogEpoch, ReplicaId, WorkspaceId};

macro_rules! blob16 {
    ($($t:ty),*) => {$(
        impl ToSql for $t {
            fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
                Ok(ToSqlOutput::Borrowed(ValueRef::Blob(self.as_bytes())))
            }
        }
        impl FromSql for $t {
            fn column_result(v: ValueRef<'_>) -> FromSqlResult<Self> {
                let b = v.as_blob()?;
                <$t>::from_slice(b).ok_or(FromSqlError::InvalidBlobSize { expected_size: 16, blob_size: b.len() })
            }
        }
    )*};
}

blob16!(DeviceId, WorkspaceId, ReplicaId, LogEpoch, KeyFingerprint);
