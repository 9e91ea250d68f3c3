"""Ad-hoc probe: fine-tune the first stage's decoder on a trained model's single-step latents vs the GT masks."""
import sys, time, copy, json
import torch, torch.nn.functional as F
from torch.utils.data import DataLoader
from sdseg.models.sdseg import SDSegModel
from sdseg.models.first_stage import ae_output_to_probability
from sdseg.data.sources import open_train_val
from sdseg.training.loop import union_mask
torch.manual_seed(0)
model_dir, steps, lr = sys.argv[1], int(sys.argv[2]), float(sys.argv[3])
model = SDSegModel.from_pretrained(model_dir).requires_grad_(False)
train_set, val_set, info = open_train_val("../shared/data/polypgen", model.config.image_size, 0, model.config.normalization)

@torch.no_grad()
def latents(ds, flip=False):
    zs, ms = [], []
    first = 0
    for b in DataLoader(ds, batch_size=32):
        img = b["image"]
        if flip: img = img.flip(-1)
        seeds = list(range(first, first + len(img))); first += len(img)
        c = model.denoiser.condition(img)
        z = model.sample_latents(c, model.initial_noise(seeds), 1, None)
        m = union_mask(b)
        zs.append(z); ms.append(m.flip(-1) if flip else m)
    return torch.cat(zs), torch.cat(ms)

t0 = time.time()
model.denoiser.eval()
ztr, mtr = latents(train_set); zva, mva = latents(val_set)
print("latents", ztr.shape, zva.shape, round(time.time() - t0), "s", flush=True)
dec = model.vae.decoder; pq = model.vae.post_quant_conv
sf = model.config.scale_factor
def prob(z):
    return ae_output_to_probability(dec(pq(z / sf)))
@torch.no_grad()
def val_dice():
    dec.eval(); ds = []
    for i in range(0, len(zva), 64):
        p = prob(zva[i:i+64]) > 0.5; g = mva[i:i+64] > 0.5
        inter = (p & g).flatten(1).sum(1).float(); s = p.flatten(1).sum(1) + g.flatten(1).sum(1)
        ds += torch.where(s == 0, torch.ones_like(inter), 2 * inter / s.clamp(min=1)).tolist()
    dec.train(); return sum(ds) / len(ds)
hist = [(0, val_dice())]; print(hist[-1], flush=True)
params = list(dec.parameters()) + list(pq.parameters())
for p in params: p.requires_grad_(True)
opt = torch.optim.AdamW(params, lr=lr, weight_decay=0.0)
bs = 8
for step in range(1, steps + 1):
    idx = torch.randint(0, len(ztr), (bs,))
    z, g = ztr[idx], mtr[idx]
    if torch.rand(()) < 0.5: z, g = z.flip(-1), g.flip(-1)   # flips commute with conv decoders approximately
    p = prob(z).clamp(1e-4, 1 - 1e-4)
    bce = F.binary_cross_entropy(p, g)
    inter = (p * g).flatten(1).sum(1); dice = 1 - ((2 * inter + 1) / (p.flatten(1).sum(1) + g.flatten(1).sum(1) + 1)).mean()
    loss = bce + dice
    opt.zero_grad(); loss.backward(); opt.step()
    if step % 100 == 0:
        hist.append((step, val_dice())); print(hist[-1], round(time.time() - t0), "s", flush=True)
print(json.dumps(hist))
