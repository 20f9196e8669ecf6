fn main() {
    println!("The Samskap app arrives with issue 4; use the `samskap` command line for now.");
}
