// The core's allocator: see `samskap::Allocator`.
#[global_allocator]
static ALLOCATOR: samskap::Allocator = samskap::Allocator;

fn main() {
    samskap_app::run()
}
