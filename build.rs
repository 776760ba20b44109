// The default theme and `kring init`'s sample site are embedded with include_dir!, which
// cargo does not track; without this, editing a template would not rebuild the binary.
fn main() {
    println!("cargo:rerun-if-changed=themes/kring");
    println!("cargo:rerun-if-changed=src/scaffold/site");
}
