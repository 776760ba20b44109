# Installs a released kring binary on Windows: downloads the archive for this system with
# the release's SHA256SUMS, refuses it unless the checksum matches, and puts kring.exe in
# %LOCALAPPDATA%\kring\bin (or -To DIR). Nothing is left behind when any step fails.
# The PowerShell twin of install.sh.
#
#   powershell -ExecutionPolicy Bypass -File install.ps1 [-Version 0.1.0] [-To DIR]
#
# Environment: KRING_VERSION, KRING_INSTALL_DIR, KRING_DOWNLOAD_URL, KRING_TARGET, as for
# install.sh. Exit status: 0 installed; 1 failed; 3 no binary is published for this system.
param(
  [string]$Version = $(if ($env:KRING_VERSION) { $env:KRING_VERSION } else { "0.1.0" }),
  [string]$To = $(if ($env:KRING_INSTALL_DIR) { $env:KRING_INSTALL_DIR } else { Join-Path $env:LOCALAPPDATA "kring\bin" })
)
$ErrorActionPreference = "Stop"
$BaseUrl = if ($env:KRING_DOWNLOAD_URL) { $env:KRING_DOWNLOAD_URL.TrimEnd("/") } else { "https://github.com/kring-ssg/kring/releases/download" }

function Fail($message) { Write-Error "kring install: $message" -ErrorAction Continue; exit 1 }

$Version = $Version.TrimStart("v")
if ($Version -notmatch '^[0-9A-Za-z.+-]+$') { Fail "$Version is not a version number" }
$Target = if ($env:KRING_TARGET) { $env:KRING_TARGET }
  elseif ([Environment]::Is64BitOperatingSystem -and $env:PROCESSOR_ARCHITECTURE -eq "AMD64") { "x86_64-pc-windows-msvc" }
  else { "$($env:PROCESSOR_ARCHITECTURE)-pc-windows-msvc" }
$Name = "kring-$Version-$Target"
$Archive = "$Name.zip"
$Url = "$BaseUrl/v$Version"

$Tmp = Join-Path ([IO.Path]::GetTempPath()) ("kring-install-" + [Guid]::NewGuid())
New-Item -ItemType Directory -Path $Tmp | Out-Null
$Staged = $null
try {
  try { Invoke-WebRequest -UseBasicParsing -Uri "$Url/SHA256SUMS" -OutFile "$Tmp\SHA256SUMS" }
  catch { Fail "could not download $Url/SHA256SUMS: is $Version a released version?" }
  $Expected = $null
  foreach ($line in Get-Content "$Tmp\SHA256SUMS") {
    $parts = $line -split '\s+', 2
    if ($parts.Count -eq 2 -and ($parts[1] -eq $Archive -or $parts[1] -eq "*$Archive")) { $Expected = $parts[0]; break }
  }
  if (-not $Expected) {
    Write-Error "kring install: kring $Version has no binary for $Target; ``cargo install --locked kring@$Version`` builds one from source" -ErrorAction Continue
    exit 3
  }
  try { Invoke-WebRequest -UseBasicParsing -Uri "$Url/$Archive" -OutFile "$Tmp\$Archive" }
  catch { Fail "the download of $Url/$Archive failed or was cut off; nothing was installed" }
  $Actual = (Get-FileHash -Algorithm SHA256 "$Tmp\$Archive").Hash.ToLower()
  if ($Actual -ne $Expected.ToLower()) {
    Fail "the checksum of $Archive is $Actual, but SHA256SUMS says $Expected`: refusing it; nothing was installed"
  }
  Expand-Archive -Path "$Tmp\$Archive" -DestinationPath "$Tmp\unpacked"
  $Binary = Join-Path $Tmp "unpacked\$Name\kring.exe"
  if (-not (Test-Path $Binary)) { Fail "$Archive holds no $Name\kring.exe; nothing was installed" }
  $Said = & $Binary --version
  if ($Said -ne "kring $Version") { Fail "the kring in $Archive says `"$Said`", not kring $Version; nothing was installed" }
  New-Item -ItemType Directory -Force -Path $To | Out-Null
  # Copied beside its place, then moved over it: an interruption never leaves half a binary.
  $Staged = Join-Path $To ".kring.install.$PID.exe"
  Copy-Item $Binary $Staged
  Move-Item -Force $Staged (Join-Path $To "kring.exe")
  $Staged = $null
  Write-Host "kring install: installed kring $Version at $(Join-Path $To 'kring.exe')"
  if (-not (($env:PATH -split ';') -contains $To)) {
    Write-Host "kring install: $To is not on your PATH; add it in Settings → System → About → Advanced system settings → Environment Variables"
  }
} finally {
  Remove-Item -Recurse -Force $Tmp -ErrorAction SilentlyContinue
  if ($Staged) { Remove-Item -Force $Staged -ErrorAction SilentlyContinue }
}
