//! Pooled connections that keep their prepared statements. A query sent as
//! text costs two round trips (parse and describe, then bind and execute)
//! and a parse and plan in the server every time; a statement prepared once
//! per connection costs one round trip and is planned once. The hub's hot
//! path (authenticate, sync) runs a dozen statements per request.

use std::collections::HashMap;
use std::time::{Duration, Instant};

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
    /// When it last went back to the pool unbroken.
    returned: Option<Instant>,
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

/// A connection back in the pool for less than this is handed out without
/// asking the server whether it is still there.
const CHECKED_RECENTLY: Duration = Duration::from_secs(1);

/// r2d2's manager for [`PgConn`]s (the crate's own, plus the statements).
pub struct Manager(pub PostgresConnectionManager<NoTls>);

impl r2d2::ManageConnection for Manager {
    type Connection = PgConn;
    type Error = postgres::Error;

    fn connect(&self) -> Result<PgConn, postgres::Error> {
        Ok(PgConn { client: self.0.connect()?, stmts: Statements::default(), returned: None })
    }
    /// Asks the server only about a connection idle for a while: one in
    /// use a moment ago answered then, and asking costs a round trip on
    /// every checkout (two per sync request). A database restarted within
    /// that moment fails the request with a clear error, and the client's
    /// retry gets a fresh connection.
    fn is_valid(&self, conn: &mut PgConn) -> Result<(), postgres::Error> {
        if conn.returned.is_some_and(|t| t.elapsed() < CHECKED_RECENTLY) {
            return Ok(());
        }
        self.0.is_valid(&mut conn.client)
    }
    fn has_broken(&self, conn: &mut PgConn) -> bool {
        let broken = self.0.has_broken(&mut conn.client);
        if !broken {
            conn.returned = Some(Instant::now());
        }
        broken
    }
}
