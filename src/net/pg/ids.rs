//! The typed ids as PostgreSQL values: `bytea`, as in every table.

use std::error::Error;

use r2d2_postgres::postgres::types::{to_sql_checked, IsNull, ToSql, Type};

use crate::model::{DeviceId, KeyFingerprint, LogEpoch, ReplicaId, WorkspaceId};

macro_rules! bytea16 {
    ($($t:ty),*) => {$(
        impl ToSql for $t {
            fn to_sql(&self, ty: &Type, out: &mut bytes::BytesMut) -> Result<IsNull, Box<dyn Error + Sync + Send>> {
                self.as_bytes().as_slice().to_sql(ty, out)
            }
            fn accepts(ty: &Type) -> bool {
                <&[u8] as ToSql>::accepts(ty)
            }
            to_sql_checked!();
        }
    )*};
}

bytea16!(DeviceId, WorkspaceId, ReplicaId, LogEpoch, KeyFingerprint);
