fn main() {
    samskap_app::run()
}
