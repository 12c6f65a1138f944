@echo off
rem Builds the Windows installer (.msi) with jpackage (run on Windows with JDK 17 and the WiX Toolset 3.x
rem on the PATH; not built on Linux CI):
rem   mvn -B -Pinstaller package -DskipTests     -> target\installer\AIROTECH Connect-<version>.msi
rem Maven's installer-platform-windows profile picks this script and the win JavaFX jars.
rem Usage: installer\windows\package.cmd TARGET_DIR VERSION [TYPES]
setlocal enabledelayedexpansion
set "TARGET=%~f1"
set "VERSION=%~2"
for /f "tokens=1 delims=-" %%v in ("%VERSION%") do set "APPVERSION=%%v"
set "ROOT=%~dp0..\.."
set "INPUT=%TARGET%\jpackage\input"
set "JAVAFX=%TARGET%\jpackage\javafx"
set "OUT=%TARGET%\installer"

copy /y "%TARGET%\original-airotech-connect.jar" "%INPUT%\airotech-connect.jar" >nul || exit /b 1
if not exist "%INPUT%\sample-data" mkdir "%INPUT%\sample-data"
copy /y "%ROOT%\sample-data\*.json" "%INPUT%\sample-data\" >nul

rem JavaFX modules on the module path when the build depends on JavaFX
set "MODPATH="
set "FXMODS="
for %%j in ("%JAVAFX%\javafx-*.jar") do (
  set "MODPATH=--module-path "%JAVAFX%""
  for /f "tokens=2 delims=-" %%m in ("%%~nj") do set "FXMODS=!FXMODS!,javafx.%%m"
)
for /f "delims=" %%d in ('jdeps --print-module-deps --ignore-missing-deps --multi-release 17 !MODPATH! --class-path "%INPUT%\*" "%INPUT%\airotech-connect.jar"') do set "JDKMODS=%%d"
set "MODULES=%JDKMODS%,jdk.crypto.ec,jdk.unsupported%FXMODS%"
echo installer: modules %MODULES%

if exist "%OUT%\airotech-connect" rmdir /s /q "%OUT%\airotech-connect"
rem The GUI launcher (no console window); the command line gets its own console launcher below.
jpackage --type app-image --dest "%OUT%" --name airotech-connect --app-version %APPVERSION% --vendor AIROTECH ^
  --description "AIROTECH Connect: on-prem connector gateway and operator console" ^
  --input "%INPUT%" --main-jar airotech-connect.jar --main-class com.airotech.connect.Launcher ^
  !MODPATH! --add-modules %MODULES% ^
  --jlink-options "--strip-native-commands --strip-debug --no-header-files --no-man-pages --compress=2" ^
  --icon "%ROOT%\installer\icon\airotech-connect.ico" ^
  --add-launcher "airotech-connect-cli=%ROOT%\installer\windows\cli-launcher.properties" || exit /b 1

jpackage --type msi --dest "%OUT%" --app-image "%OUT%\airotech-connect" --name "AIROTECH Connect" ^
  --app-version %APPVERSION% --vendor AIROTECH ^
  --win-menu --win-menu-group "AIROTECH" --win-shortcut --win-dir-chooser ^
  --win-upgrade-uuid 6f1f3c52-2b6e-4d8e-9a55-0b8f3c1e7a11 || exit /b 1
echo installer: msi in %OUT%
