//! Test photos and independent readers of them: Python's Pillow and kamadak-exif.

use std::io::Cursor;
use std::path::Path;
use std::process::Command;

use exif::{Field, In, Rational, Tag, Value};
use image::{ImageEncoder, RgbImage};

/// A `width` × `height` photo as a phone writes it: EXIF with the orientation (6: turn it
/// 90° clockwise to show it), a GPS position, the camera's make and serial number.
pub fn phone_photo(width: u32, height: u32, format: image::ImageFormat) -> Vec<u8> {
    let fields = [
        Field {
            tag: Tag::Orientation,
            ifd_num: In::PRIMARY,
            value: Value::Short(vec![6]),
        },
        Field {
            tag: Tag::Make,
            ifd_num: In::PRIMARY,
            value: Value::Ascii(vec![b"PhoneMaker".to_vec()]),
        },
        Field {
            tag: Tag::BodySerialNumber,
            ifd_num: In::PRIMARY,
            value: Value::Ascii(vec![b"SERIAL-12345".to_vec()]),
        },
        Field {
            tag: Tag::GPSLatitudeRef,
            ifd_num: In::PRIMARY,
            value: Value::Ascii(vec![b"N".to_vec()]),
        },
        Field {
            tag: Tag::GPSLatitude,
            ifd_num: In::PRIMARY,
            value: Value::Rational(vec![
                Rational { num: 52, denom: 1 },
                Rational { num: 22, denom: 1 },
                Rational {
                    num: 1234,
                    denom: 100,
                },
            ]),
        },
    ];
    let mut writer = exif::experimental::Writer::new();
    for f in &fields {
        writer.push_field(f);
    }
    let mut blob = Cursor::new(Vec::new());
    writer.write(&mut blob, false).unwrap();
    // Left half red, right half blue: which way it was turned shows in the pixels.
    let img = RgbImage::from_fn(width, height, |x, _| {
        if x < width / 2 {
            image::Rgb([220, 20, 20])
        } else {
            image::Rgb([20, 20, 220])
        }
    });
    let mut out = Vec::new();
    match format {
        image::ImageFormat::Jpeg => {
            let mut enc = image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, 90);
            enc.set_exif_metadata(blob.into_inner()).unwrap();
            enc.write_image(&img, width, height, image::ExtendedColorType::Rgb8)
                .unwrap();
        }
        image::ImageFormat::Png => {
            let mut enc = image::codecs::png::PngEncoder::new(&mut out);
            enc.set_exif_metadata(blob.into_inner()).unwrap();
            enc.write_image(&img, width, height, image::ExtendedColorType::Rgb8)
                .unwrap();
        }
        other => panic!("{other:?}"),
    }
    // The fixture must carry what the test says it does.
    let exif = exif::Reader::new()
        .read_from_container(&mut Cursor::new(&out))
        .expect("the test photo has EXIF");
    assert!(exif.get_field(Tag::GPSLatitude, In::PRIMARY).is_some());
    out
}

/// A `width` × `height` photo without metadata, in `format`.
pub fn plain_photo(width: u32, height: u32, format: image::ImageFormat) -> Vec<u8> {
    let img = RgbImage::from_fn(width, height, |x, y| {
        image::Rgb([(x % 200) as u8, (y % 200) as u8, 40])
    });
    let mut bytes = Vec::new();
    image::DynamicImage::ImageRgb8(img)
        .write_to(&mut Cursor::new(&mut bytes), format)
        .unwrap();
    bytes
}

/// What `script` (Python, with Pillow) prints for the image at `path`, given as `argv[1]`.
/// `scripts/test.sh` installs Pillow.
fn pillow_says(script: &str, path: &Path) -> String {
    let out = Command::new("python3")
        .args(["-c", script, path.to_str().unwrap()])
        .output()
        .expect("python3 runs");
    assert!(
        out.status.success(),
        "Pillow could not read {} (pip install pillow; scripts/test.sh does): {}",
        path.display(),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).trim().to_string()
}

/// Pillow's name for the format of `path` (`JPEG`, `PNG`, `WEBP`, `GIF`).
pub fn pillow_format(path: &Path) -> String {
    pillow_says(
        "import sys\nfrom PIL import Image\nprint(Image.open(sys.argv[1]).format)",
        path,
    )
}

/// Width, height, whether Pillow finds EXIF, and the top-left pixel of `path`, by Python's
/// Pillow.
pub fn pillow(path: &Path) -> (u32, u32, bool, (u8, u8, u8)) {
    let script = "import sys\nfrom PIL import Image\nim = Image.open(sys.argv[1])\nim.load()\nrgb = im.convert('RGB').getpixel((0, 0))\nprint(im.size[0], im.size[1], len(im.getexif()) > 0 or 'exif' in im.info, *rgb)";
    let text = pillow_says(script, path);
    let v: Vec<&str> = text.split_whitespace().collect();
    let n = |i: usize| v[i].parse::<u32>().unwrap();
    (
        n(0),
        n(1),
        v[2] == "True",
        (n(3) as u8, n(4) as u8, n(5) as u8),
    )
}

pub fn assert_no_exif(bytes: &[u8], what: &str) {
    match exif::Reader::new().read_from_container(&mut Cursor::new(bytes)) {
        Err(exif::Error::NotFound(_)) => {}
        Ok(found) => panic!(
            "{what} still has EXIF: {:?}",
            found.fields().map(|f| f.tag).collect::<Vec<_>>()
        ),
        Err(e) => panic!("{what}: {e}"),
    }
    for secret in [&b"SERIAL-12345"[..], b"PhoneMaker"] {
        assert!(
            !bytes.windows(secret.len()).any(|w| w == secret),
            "{what} still names {:?}",
            String::from_utf8_lossy(secret)
        );
    }
}
