//! Pooled connections that keep their prepared statements. A query sent as
//! text costs two round trips (parse and describe, then bind and execute)
//! and a parse and plan in the server every time; a statement prepared once
//! per connection costs one round trip and is planned once. The hub's hot
//! path (authenticate, sync) runs a dozen statements per request.

use std::collections::HashMap;

use r2d2_postgres::postgres::types::ToSql;
use r2d2_postgres::postgres::{self, Client, GenericClient, NoTls, Row, Statement};
use r2d2_postgres::PostgresConnectionManager;

/// Statements prepared on one connection, by their text.
#[derive(Default)]
pub struct Statements(HashMap<&'static str, Statement>);

impl Statements {
    fn get(&mut self, c: &mut impl GenericClient, sql: &'static str) -> Result<Statement, postgres::Error> {
        if let Some(s) = self.0.get(sql) {
            return Ok(s.clone());
        }
        let s = c.prepare(sql)?;
        self.0.insert(sql, s.clone());
        Ok(s)
    }
}

/// A connection, or a transaction or savepoint on it, with the statements
/// prepared on that connection.
pub struct Db<'a, C: GenericClient> {
    pub c: &'a mut C,
    pub s: &'a mut Statements,
}

type Params<'p> = &'p [&'p (dyn ToSql + Sync)];

impl<C: GenericClient> Db<'_, C> {
    pub fn query(&mut self, sql: &'static str, params: Params) -> Result<Vec<Row>, postgres::Error> {
        let st = self.s.get(self.c, sql)?;
        self.c.query(&st, params)
    }
    pub fn query_one(&mut self, sql: &'static str, params: Params) -> Result<Row, postgres::Error> {
        let st = self.s.get(self.c, sql)?;
        self.c.query_one(&st, params)
    }
    pub fn query_opt(&mut self, sql: &'static str, params: Params) -> Result<Option<Row>, postgres::Error> {
        let st = self.s.get(self.c, sql)?;
        self.c.query_opt(&st, params)
    }
    pub fn execute(&mut self, sql: &'static str, params: Params) -> Result<u64, postgres::Error> {
        let st = self.s.get(self.c, sql)?;
        self.c.execute(&st, params)
    }
}

/// A pooled connection: the client and what was prepared on it.
pub struct PgConn {
    pub client: Client,
    pub stmts: Statements,
}

impl PgConn {
    pub fn db(&mut self) -> Db<'_, Client> {
        Db { c: &mut self.client, s: &mut self.stmts }
    }
}

impl std::ops::Deref for PgConn {
    type Target = Client;
    fn deref(&self) -> &Client {
        &self.client
    }
}

impl std::ops::DerefMut for PgConn {
    fn deref_mut(&mut self) -> &mut Client {
        &mut self.client
    }
}

/// r2d2's manager for [`PgConn`]s (the crate's own, plus the statements).
pub struct Manager(pub PostgresConnectionManager<NoTls>);

impl r2d2::ManageConnection for Manager {
    type Connection = PgConn;
    type Error = postgres::Error;

    fn connect(&self) -> Result<PgConn, postgres::Error> {
        Ok(PgConn { client: self.0.connect()?, stmts: Statements::default() })
    }
    fn is_valid(&self, conn: &mut PgConn) -> Result<(), postgres::Error> {
        self.0.is_valid(&mut conn.client)
    }
    fn has_broken(&self, conn: &mut PgConn) -> bool {
        self.0.has_broken(&mut conn.client)
    }
}
