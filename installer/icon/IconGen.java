import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.GradientPaint;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Line2D;
import java.awt.geom.RoundRectangle2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.imageio.ImageIO;

/**
 * Draws the AIROTECH Connect icon: a building whose floors are joined to one hub, on a teal
 * rounded square. Writes PNGs (16-512 px), a Windows .ico and a macOS .icns.
 * Run from the repository root: java installer/icon/IconGen.java installer/icon
 */
public final class IconGen {
    public static void main(String[] args) throws IOException {
        Path out = Path.of(args.length > 0 ? args[0] : "installer/icon");
        Files.createDirectories(out);
        Map<Integer, byte[]> pngs = new LinkedHashMap<>();
        for (int size : new int[] {16, 32, 48, 64, 128, 256, 512}) {
            byte[] png = png(draw(size));
            pngs.put(size, png);
            Files.write(out.resolve("airotech-connect-" + size + ".png"), png);
        }
        Files.write(out.resolve("airotech-connect.png"), pngs.get(256));
        Files.write(out.resolve("airotech-connect.ico"), ico(pngs, 16, 32, 48, 256));
        Files.write(out.resolve("airotech-connect.icns"), icns(pngs));
    }

    static BufferedImage draw(int size) {
        // draw at 4x and scale down: crisp small sizes without hand-tuned pixels
        int s = size * 4;
        BufferedImage big = new BufferedImage(s, s, BufferedImage.TYPE_INT_ARGB);
        Graphics2D g = big.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_STROKE_CONTROL, RenderingHints.VALUE_STROKE_PURE);
        double u = s / 64.0; // drawing units: a 64 x 64 grid
        g.setPaint(new GradientPaint(0, 0, new Color(0x14, 0x8F, 0x8A), 0, s, new Color(0x0B, 0x4F, 0x7A)));
        g.fill(new RoundRectangle2D.Double(2 * u, 2 * u, 60 * u, 60 * u, 16 * u, 16 * u));

        // the building: an outline with three floors
        Color white = new Color(255, 255, 255, 240);
        g.setColor(white);
        g.setStroke(new BasicStroke((float) (3.2 * u), BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
        g.draw(new RoundRectangle2D.Double(12 * u, 14 * u, 22 * u, 38 * u, 3 * u, 3 * u));
        double[] floors = {24, 33, 42};
        for (double y : floors) g.draw(new Line2D.Double(12 * u, y * u, 34 * u, y * u));

        // each floor connected to one hub: the fabric
        double hx = 50 * u, hy = 33 * u;
        g.setStroke(new BasicStroke((float) (2.6 * u), BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
        for (double y : new double[] {19, 28.5, 37.5, 47}) g.draw(new Line2D.Double(34 * u, y * u, hx, hy));
        g.setColor(new Color(0xFF, 0xC8, 0x3D));
        double r = 6 * u;
        g.fill(new Ellipse2D.Double(hx - r, hy - r, 2 * r, 2 * r));
        g.setColor(white);
        for (double y : new double[] {19, 28.5, 37.5, 47}) {
            double d = 2.4 * u;
            g.fill(new Ellipse2D.Double(34 * u - d, y * u - d, 2 * d, 2 * d));
        }
        g.dispose();

        BufferedImage img = new BufferedImage(size, size, BufferedImage.TYPE_INT_ARGB);
        Graphics2D sg = img.createGraphics();
        sg.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BICUBIC);
        sg.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
        // halve repeatedly for a clean downscale
        BufferedImage cur = big;
        while (cur.getWidth() / 2 >= size) {
            BufferedImage half = new BufferedImage(cur.getWidth() / 2, cur.getHeight() / 2, BufferedImage.TYPE_INT_ARGB);
            Graphics2D hg = half.createGraphics();
            hg.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
            hg.drawImage(cur, 0, 0, half.getWidth(), half.getHeight(), null);
            hg.dispose();
            cur = half;
        }
        sg.drawImage(cur, 0, 0, size, size, null);
        sg.dispose();
        return img;
    }

    static byte[] png(BufferedImage img) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        ImageIO.write(img, "png", b);
        return b.toByteArray();
    }

    /** ICO with PNG-compressed entries (Windows Vista and later). */
    static byte[] ico(Map<Integer, byte[]> pngs, int... sizes) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        le16(b, 0); le16(b, 1); le16(b, sizes.length);
        int offset = 6 + 16 * sizes.length;
        for (int s : sizes) {
            byte[] p = pngs.get(s);
            b.write(s >= 256 ? 0 : s); b.write(s >= 256 ? 0 : s); b.write(0); b.write(0);
            le16(b, 1); le16(b, 32); le32(b, p.length); le32(b, offset);
            offset += p.length;
        }
        for (int s : sizes) b.write(pngs.get(s));
        return b.toByteArray();
    }

    /** ICNS with PNG entries: ic07 (128), ic08 (256), ic09 (512), ic11/ic12/ic13 (retina). */
    static byte[] icns(Map<Integer, byte[]> pngs) throws IOException {
        Map<String, Integer> types = new LinkedHashMap<>();
        types.put("icp4", 16); types.put("icp5", 32); types.put("ic07", 128); types.put("ic08", 256); types.put("ic09", 512);
        types.put("ic11", 32); types.put("ic12", 64); types.put("ic13", 256); types.put("ic14", 512);
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        DataOutputStream d = new DataOutputStream(body);
        for (var e : types.entrySet()) {
            byte[] p = pngs.get(e.getValue());
            d.writeBytes(e.getKey());
            d.writeInt(8 + p.length);
            d.write(p);
        }
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        DataOutputStream a = new DataOutputStream(all);
        a.writeBytes("icns");
        a.writeInt(8 + body.size());
        a.write(body.toByteArray());
        return all.toByteArray();
    }

    private static void le16(ByteArrayOutputStream b, int v) { b.write(v & 0xff); b.write((v >> 8) & 0xff); }

    private static void le32(ByteArrayOutputStream b, int v) { le16(b, v & 0xffff); le16(b, (v >>> 16) & 0xffff); }
}
