// The exercise figure in the browser. `data` is what supine.library.figure.animation_data
// returns. poseAt, jointPositions and drawPose repeat figure_kinematics.py, figure.py's
// scene and figure_svg.py operation for operation (same easing, same order of arithmetic,
// same rounding, same depth order), so at every keyframe the animation draws exactly the
// picture the server rendered; change the two together.

const RAD = Math.PI / 180;
const REDUCED_STEP_MS = 3000;

// Smoothstep: plain arithmetic, so both sides compute the same bits.
const ease = (s) => s * s * (3 - 2 * s);
const mix = (a, b, e) => a + (b - a) * e;

function mixPoses(data, a, b, e) {
  const angles = {};
  for (const joint of data.joints) angles[joint] = mix(a.angles[joint], b.angles[joint], e);
  return {
    angles,
    root: [mix(a.root[0], b.root[0], e), mix(a.root[1], b.root[1], e), mix(a.root[2], b.root[2], e)],
    belly: mix(a.belly, b.belly, e),
  };
}

export function poseAt(data, tMs) {
  const frames = data.keyframes;
  let t = tMs % data.periodMs;
  if (t < 0) t += data.periodMs;
  let start = 0;
  for (let i = 0; i < frames.length; i += 1) {
    const frame = frames[i];
    const end = start + frame.holdMs + frame.ms;
    if (t < end || i === frames.length - 1) {
      const moving = t - start - frame.holdMs;
      if (moving <= 0) return frame;
      const e = ease(Math.min(moving / frame.ms, 1));
      return mixPoses(data, frame, frames[(i + 1) % frames.length], e);
    }
    start = end;
  }
  throw new Error("figure has no keyframes");
}

function rot(axis, deg) {
  const r = deg * RAD;
  const c = Math.cos(r);
  const s = Math.sin(r);
  if (axis === 0) return [[1, 0, 0], [0, c, -s], [0, s, c]];
  if (axis === 1) return [[c, 0, s], [0, 1, 0], [-s, 0, c]];
  return [[c, -s, 0], [s, c, 0], [0, 0, 1]];
}

function mul(a, b) {
  const rows = [];
  for (let i = 0; i < 3; i += 1) {
    const row = [];
    for (let j = 0; j < 3; j += 1) row.push(a[i][0] * b[0][j] + a[i][1] * b[1][j] + a[i][2] * b[2][j]);
    rows.push(row);
  }
  return rows;
}

function at(p, f, v) {
  return [
    p[0] + (f[0][0] * v[0] + f[0][1] * v[1] + f[0][2] * v[2]),
    p[1] + (f[1][0] * v[0] + f[1][1] * v[1] + f[1][2] * v[2]),
    p[2] + (f[2][0] * v[0] + f[2][1] * v[1] + f[2][2] * v[2]),
  ];
}

const joint = (parent, flex, side, twist) => mul(mul(mul(parent, rot(2, flex)), rot(0, side)), rot(1, twist));

export function jointPositions(data, pose) {
  const a = pose.angles;
  const b = data.body;
  const out = {};
  const origin = [0, 0, 0];
  const pelvis = mul(rot(2, a.trunk - 90), rot(1, a.roll));
  out.mid_hip = origin;
  out.left_hip = at(origin, pelvis, [0, 0, -b.HIP_HALF]);
  out.right_hip = at(origin, pelvis, [0, 0, b.HIP_HALF]);
  out.pelvis_top = at(origin, pelvis, [0, 8, 0]);
  out.pelvis_front = at(origin, pelvis, [b.RADII.torso, 3, 0]);
  out.lower_back = at(origin, pelvis, [-b.RADII.torso, 18, 0]);
  const belly = b.BELLY_OUT - b.BELLY_IN * pose.belly;
  out.belly_low = at(origin, pelvis, [belly, 6, 0]);
  out.belly_high = at(origin, pelvis, [belly, 19, 0]);
  out.belly = at(origin, pelvis, [belly + b.RADII.belly, 12.5, 0]);
  const waist = (out.waist = at(origin, pelvis, [0, b.LUMBAR, 0]));
  const half = joint(rot(2, 0), -a.spine_flexion / 2, -a.spine_side / 2, a.spine_twist / 2);
  const middle = mul(pelvis, half);
  out.left_waist = at(waist, middle, [0, 0, -b.WAIST_HALF]);
  out.right_waist = at(waist, middle, [0, 0, b.WAIST_HALF]);
  const chest = (out.chest = at(waist, middle, [0, b.THORAX_LOW, 0]));
  out.upper_back = at(waist, middle, [-b.RADII.torso, b.THORAX_LOW, 0]);
  const upper = mul(middle, half);
  const neck = (out.neck_base = at(chest, upper, [0, b.THORAX_HIGH, 0]));
  const headFrame = joint(upper, -a.neck_flexion, -a.neck_side, a.neck_turn);
  const head = (out.head = at(neck, headFrame, b.NECK_TO_HEAD));
  out.nose = at(head, headFrame, [10, -1.5, 0]);
  for (const [side, z] of [["left", -1], ["right", 1]]) {
    out[`${side}_eye_inner`] = at(head, headFrame, [8.8, 2, 1.6 * z]);
    out[`${side}_eye`] = at(head, headFrame, [8.2, 2, 3.2 * z]);
    out[`${side}_eye_outer`] = at(head, headFrame, [7.4, 2, 4.6 * z]);
    out[`${side}_ear`] = at(head, headFrame, [0, 0.5, 7.5 * z]);
    out[`mouth_${side}`] = at(head, headFrame, [8.8, -4.5, 2.2 * z]);
  }
  for (const [side, z] of [["left", -1], ["right", 1]]) {
    const inward = -z;
    const g = (name) => a[`${side}_${name}`];
    const shoulder = (out[`${side}_shoulder`] = at(neck, upper, [0, -b.SHOULDER_DROP, b.SHOULDER_HALF * z]));
    const arm = joint(upper, g("shoulder_flexion"), inward * g("shoulder_abduction"), inward * g("shoulder_rotation"));
    const elbow = (out[`${side}_elbow`] = at(shoulder, arm, [0, -b.UPPER_ARM, 0]));
    const forearm = mul(arm, rot(2, g("elbow")));
    const wrist = (out[`${side}_wrist`] = at(elbow, forearm, [0, -b.FOREARM, 0]));
    const hand = mul(forearm, rot(2, g("wrist")));
    out[`${side}_hand`] = at(wrist, hand, [0, -b.HAND, 0]);
    out[`${side}_index`] = at(wrist, hand, [0, -9.5, 2 * inward]);
    out[`${side}_pinky`] = at(wrist, hand, [0, -8.5, -2.5 * inward]);
    out[`${side}_thumb`] = at(wrist, hand, [-1.5, -5, 4 * inward]);
    const hip = out[`${side}_hip`];
    const thigh = joint(pelvis, g("hip_flexion"), inward * g("hip_abduction"), inward * g("hip_rotation"));
    const knee = (out[`${side}_knee`] = at(hip, thigh, [0, -b.THIGH, 0]));
    const shin = mul(thigh, rot(2, -g("knee")));
    const ankle = (out[`${side}_ankle`] = at(knee, shin, [0, -b.SHIN, 0]));
    const foot = mul(shin, rot(2, g("ankle")));
    out[`${side}_heel`] = at(ankle, foot, b.HEEL);
    out[`${side}_foot_index`] = at(ankle, foot, b.TOES);
    out[`${side}_sole`] = at(ankle, foot, b.SOLE);
  }
  // Built from the pelvis outwards, then moved so the anchor point sits on the root.
  const anchor = out[data.anchor];
  const dx = pose.root[0] - anchor[0];
  const dy = pose.root[1] - anchor[1];
  const dz = pose.root[2] - anchor[2];
  const moved = {};
  for (const [name, [x, y, z]] of Object.entries(out)) moved[name] = [x + dx, y + dy, z + dz];
  return moved;
}

export function project(basis, p) {
  const [right, up, toCamera] = basis;
  return [
    p[0] * right[0] + p[1] * right[1] + p[2] * right[2],
    p[0] * up[0] + p[1] * up[1] + p[2] * up[2],
    -(p[0] * toCamera[0] + p[1] * toCamera[1] + p[2] * toCamera[2]),
  ];
}

// Round half up to one decimal and drop a trailing ".0", as figure_svg.fmt does.
export function fmt(value) {
  const tenths = Math.floor(value * 10 + 0.5);
  return tenths % 10 === 0 ? String(tenths / 10) : (tenths / 10).toFixed(1);
}

export function capsule(a, b, r) {
  const vx = b[0] - a[0];
  const vy = b[1] - a[1];
  const length = Math.sqrt(vx * vx + vy * vy);
  const ux = length > 1e-6 ? vx / length : 1;
  const uy = length > 1e-6 ? vy / length : 0;
  const nx = -uy * r;
  const ny = ux * r;
  const rr = fmt(r);
  const arc = `A${rr} ${rr} 0 0 0 `;
  return (
    `M${fmt(a[0] + nx)} ${fmt(a[1] + ny)}L${fmt(b[0] + nx)} ${fmt(b[1] + ny)}` +
    `${arc}${fmt(b[0] - nx)} ${fmt(b[1] - ny)}L${fmt(a[0] - nx)} ${fmt(a[1] - ny)}` +
    `${arc}${fmt(a[0] + nx)} ${fmt(a[1] + ny)}Z`
  );
}

export function shade(data, depth, centre, highlighted) {
  let t = 0.5 + (depth - centre) / data.shade.span;
  t = Math.floor(Math.min(Math.max(t, 0), 1) * 10 + 0.5) / 10;
  const near = highlighted ? data.shade.highlightNear : data.shade.near;
  const far = highlighted ? data.shade.highlightFar : data.shade.far;
  let colour = "#";
  for (const i of [1, 3, 5]) {
    const a = parseInt(near.slice(i, i + 2), 16);
    const b = parseInt(far.slice(i, i + 2), 16);
    colour += Math.floor(a + (b - a) * t + 0.5).toString(16).padStart(2, "0");
  }
  return colour;
}

/** [name, path data, fill] for every part, far to near, as figure.scene returns them. */
export function scene(data, pose) {
  const pos = jointPositions(data, pose);
  const screen = {};
  for (const [name, p] of Object.entries(pos)) screen[name] = project(data.basis, p);
  const centre = screen.mid_hip[2];
  const drawn = data.parts.map(([name, shapes], index) => {
    let d = "";
    let depth = 0;
    for (const [a, b, r] of shapes) {
      const sa = screen[a];
      const sb = screen[b];
      d += capsule([sa[0], -sa[1]], [sb[0], -sb[1]], r);
      depth += sa[2] + sb[2];
    }
    depth = depth / (2 * shapes.length);
    const fill = name.startsWith("towel")
      ? data.shade.towel
      : shade(data, depth, centre, data.highlight.includes(name));
    return { key: -Math.floor(depth * 2 + 0.5), index, name, d, fill };
  });
  drawn.sort((x, y) => x.key - y.key || x.index - y.index);
  return drawn.map(({ name, d, fill }) => [name, d, fill]);
}

export function drawPose(svg, data, pose) {
  const elements = {};
  for (const el of svg.querySelectorAll("[data-seg]")) elements[el.getAttribute("data-seg")] = el;
  for (const [name, d, fill] of scene(data, pose)) {
    const el = elements[name];
    if (!el) continue;
    el.setAttribute("d", d);
    el.setAttribute("fill", fill);
    // Appending in order, far to near, puts the parts back in painting order.
    el.parentNode.appendChild(el);
  }
}

function prefersReducedMotion() {
  return Boolean(window.matchMedia?.("(prefers-reduced-motion: reduce)").matches);
}

// Returns a function that stops the animation and leaves the figure where it is.
export function animateFigure(svg, data, { reducedMotion = prefersReducedMotion() } = {}) {
  if (reducedMotion) {
    // No tweening: each keyframe shown still for a few seconds, then the next.
    let index = 0;
    drawPose(svg, data, data.keyframes[0]);
    const timer = setInterval(() => {
      index = (index + 1) % data.keyframes.length;
      drawPose(svg, data, data.keyframes[index]);
    }, REDUCED_STEP_MS);
    return () => clearInterval(timer);
  }
  const started = performance.now();
  let request = 0;
  const tick = (now) => {
    drawPose(svg, data, poseAt(data, now - started));
    request = requestAnimationFrame(tick);
  };
  request = requestAnimationFrame(tick);
  return () => cancelAnimationFrame(request);
}
