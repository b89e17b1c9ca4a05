// The images a runtime without an image store "has": names recorded by pullImage, so that the
// kubelet's image checks (imageStatus, listImages, pull policies) behave as with a real runtime.
import { createHash } from 'node:crypto';
import type { Image, ImageSpec } from '../cri.js';

/** Docker-style normalization as containerd reports repo tags: `nginx` → `docker.io/library/nginx:latest`. */
export function normalizeImageName(name: string): string {
  let ref = name.trim();
  const slash = ref.indexOf('/');
  const first = slash < 0 ? '' : ref.slice(0, slash);
  const hasRegistry = slash >= 0 && (first.includes('.') || first.includes(':') || first === 'localhost');
  if (!hasRegistry) ref = slash < 0 ? `docker.io/library/${ref}` : `docker.io/${ref}`;
  const lastPart = ref.slice(ref.lastIndexOf('/') + 1);
  if (!lastPart.includes(':') && !lastPart.includes('@')) ref += ':latest';
  return ref;
}

export function imageIdOf(name: string): string {
  return `sha256:${createHash('sha256').update(normalizeImageName(name)).digest('hex')}`;
}

export class ImageStore {
  private readonly images = new Map<string, Image>();

  /** Records `spec.image`; returns its image reference (an id derived from the name). */
  pull(spec: ImageSpec): string {
    if (!spec.image?.trim()) throw new Error('image name must not be empty');
    const tag = normalizeImageName(spec.image);
    const id = imageIdOf(spec.image);
    this.images.set(tag, { id, repoTags: [tag], size: 0 });
    return id;
  }

  status(spec: ImageSpec): Image | null {
    if (spec.image.startsWith('sha256:')) return [...this.images.values()].find((i) => i.id === spec.image) ?? null;
    return this.images.get(normalizeImageName(spec.image)) ?? null;
  }

  list(): Image[] {
    return [...this.images.values()];
  }

  remove(spec: ImageSpec): void {
    const img = this.status(spec);
    if (img) for (const t of img.repoTags) this.images.delete(t);
  }
}

/** The CRI image calls over an ImageStore, shared by the runtimes that run no images (process, fake). */
export abstract class RecordedImages {
  protected readonly images = new ImageStore();

  async listImages(): Promise<Image[]> {
    return this.images.list();
  }

  async imageStatus(image: ImageSpec): Promise<Image | null> {
    return this.images.status(image);
  }

  async pullImage(image: ImageSpec): Promise<string> {
    return this.images.pull(image);
  }

  async removeImage(image: ImageSpec): Promise<void> {
    this.images.remove(image);
  }
}
